// Erase and restore brush strokes: one vector format, one validator and one rasteriser shared by the
// browser editor (preview-size mask, live) and the inference service (full size, HD), so both paint the
// same pixels in the same normalised places. Pure TypeScript: no Node-only modules.
export {
  type EditDocument,
  editDocumentSchema,
  MAX_EDIT_BYTES,
  MAX_PAINT_AREA,
  MAX_RADIUS,
  MAX_STROKE_POINTS,
  MAX_STROKES,
  MIN_RADIUS,
  type ParsedEdit,
  parseEditDocument,
  type Stroke,
  type StrokeMode,
  strokeSchema,
} from './document';
export { paintArea, simplifyPoints } from './simplify';
export { type AlphaPlane, applyStrokes, applyStrokesAsync, type ChangedBox, type PaintPauses } from './rasterise';
export { canonicalJson, fnv1a64, strokesRevision } from './revision';
