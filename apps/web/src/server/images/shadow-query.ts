/** The shadow named by a route's query (`shadow`, `opacity`), or a 400 AppError with the sentence. */
import { parseShadowChoice, type ShadowChoice, ShadowChoiceError } from '../../lib/shadow';
import { AppError } from '../errors/app-error';

export function readShadowQuery(url: URL): ShadowChoice | null {
  try {
    return parseShadowChoice(url.searchParams.get('shadow'), url.searchParams.get('opacity'));
  } catch (err) {
    if (err instanceof ShadowChoiceError) throw new AppError('invalid_shadow', err.message, 400);
    throw err;
  }
}
