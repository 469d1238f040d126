/**
 * The shadow a person picks on the remove page, shared by the browser (the Shadow control, the
 * preview address) and the server (the preview route, the HD download and its stored variant), so
 * the two never disagree. The service draws it (apps/inference); this only names and checks it.
 */

export const WEB_SHADOW_TYPES = ['none', 'drop', '3D', 'car'] as const;
export type WebShadowType = (typeof WEB_SHADOW_TYPES)[number];

export interface ShadowChoice {
  type: Exclude<WebShadowType, 'none'>;
  /** 0..100 */
  opacity: number;
}

/** remove.bg's defaults: 90 for a car shadow, 50 for the others. */
export function defaultShadowOpacity(type: WebShadowType): number {
  return type === 'car' ? 90 : 50;
}

export class ShadowChoiceError extends Error {}

/**
 * Reads `shadow` and `opacity` (query parameters or fields): null for no shadow. Throws a
 * ShadowChoiceError with a sentence for an unknown type or an opacity outside 0..100.
 */
export function parseShadowChoice(
  type: string | null | undefined,
  opacity: string | null | undefined,
): ShadowChoice | null {
  if (!type || type === 'none') return null;
  const found = WEB_SHADOW_TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
  if (!found || found === 'none')
    throw new ShadowChoiceError('Please choose no shadow, a drop shadow, a 3D shadow or a car shadow.');
  const value =
    opacity === null || opacity === undefined || opacity === '' ? defaultShadowOpacity(found) : Number(opacity);
  if (!Number.isInteger(value) || value < 0 || value > 100)
    throw new ShadowChoiceError('The shadow opacity must be a whole number from 0 to 100.');
  // Opacity 0 draws nothing: the same result (and stored file) as no shadow.
  return value === 0 ? null : { type: found, opacity: value };
}

/** `shadow=drop&opacity=50`, or '' for none: the query that names a choice. */
export function shadowQuery(choice: ShadowChoice | null): string {
  return choice ? new URLSearchParams({ shadow: choice.type, opacity: String(choice.opacity) }).toString() : '';
}

/** The part of a stored file's name that tells this choice apart: '' for none, else `-shadow-drop-50`. */
export function shadowVariant(choice: ShadowChoice | null): string {
  return choice ? `-shadow-${choice.type.toLowerCase()}-${choice.opacity}` : '';
}
