// What a render refused with, read the same way by every pipeline and decode test: the RenderError's
// code, or undefined when the call did not refuse; any other error is rethrown, so it fails the test.
import { RenderError } from '@bgr/inference-client/errors';

export async function codeOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof RenderError) return err.code;
    throw err;
  }
  return undefined;
}
