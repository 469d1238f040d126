/** What the browser gets to know about an image (no storage keys, no hashes). */
export type ImageView = {
  id: string;
  originalName: string;
  width: number;
  height: number;
  megapixels: number;
  bytes: number;
  createdAt: Date;
  consentImprove: boolean;
  hdPaid: boolean;
  previewUrl: string;
  originalUrl: string;
};

type ImageRow = {
  id: string;
  originalName: string | null;
  width: number;
  height: number;
  bytes: number;
  createdAt: Date;
  consentImprove: boolean;
  hdHoldId?: string | null;
};

export function toImageView(row: ImageRow): ImageView {
  return {
    id: row.id,
    originalName: row.originalName ?? 'image',
    width: row.width,
    height: row.height,
    megapixels: Math.round((row.width * row.height) / 1e4) / 100,
    bytes: row.bytes,
    createdAt: row.createdAt,
    consentImprove: row.consentImprove,
    hdPaid: Boolean(row.hdHoldId),
    previewUrl: `/api/images/${row.id}/preview`,
    originalUrl: `/api/images/${row.id}/original`,
  };
}
