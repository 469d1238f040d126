/**
 * The request context (src/server/logging/context.ts): inside a request the id and the notes are
 * the context's; a handler called directly (tests, scripts) still gets one stable id per Request,
 * the client's when safe, so the id echoed and the id sent to the inference service agree.
 */
import { describe, expect, it } from 'vitest';
import { currentRequest, noteOutcome, noteUser, requestIdOf, requestStore } from '../../src/server/logging/context';

const req = (id?: string) =>
  new Request('http://localhost/v1.0/removebg', { headers: id ? { 'x-request-id': id } : {} });

describe('request context', () => {
  it('outside a request: the safe client id, else one new id per Request, stable across calls', () => {
    expect(requestIdOf(req('client-7'))).toBe('client-7');
    const bare = req();
    const first = requestIdOf(bare);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(bare)).toBe(first);
    expect(requestIdOf(req())).not.toBe(first);
    const unsafe = req('bad id');
    expect(requestIdOf(unsafe)).not.toBe('bad id');
    expect(requestIdOf(unsafe)).toBe(requestIdOf(unsafe));
    noteUser('nobody'); // no context: nothing to note, and no error
    expect(currentRequest()).toBeUndefined();
  });

  it("inside a request: the context's id, and the user and outcome noted by the code serving it", async () => {
    const ctx = { id: 'ctx-1' } as { id: string; userId?: string; outcome?: string };
    await requestStore().run(ctx, async () => {
      await Promise.resolve();
      expect(requestIdOf(req('client-7'))).toBe('ctx-1');
      noteUser('user-1');
      noteOutcome('insufficient_credits');
    });
    expect(ctx).toEqual({ id: 'ctx-1', userId: 'user-1', outcome: 'insufficient_credits' });
  });
});
