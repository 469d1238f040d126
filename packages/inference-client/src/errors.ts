// The error codes this service answers with. They are remove.bg's own codes, so the web app and the
// public API pass them through unchanged. One table, used by the pipeline, the server and the client.

export const ERROR_CODES = {
  file_too_large: { status: 400, title: 'File too large' },
  resolution_too_high: { status: 400, title: 'Input image resolution too high' },
  invalid_file_type: { status: 400, title: 'Invalid file type' },
  failed_to_read_image: { status: 400, title: 'Failed to read image' },
  invalid_size: { status: 400, title: 'Invalid size' },
  invalid_format: { status: 400, title: 'Invalid format' },
  invalid_channels: { status: 400, title: 'Invalid channels' },
  invalid_roi: { status: 400, title: 'Invalid region of interest' },
  roi_exceeds_bounds: { status: 400, title: 'Region of interest exceeds the image bounds' },
  roi_region_empty: { status: 400, title: 'Region of interest is empty' },
  invalid_crop_margin: { status: 400, title: 'Invalid crop margin' },
  invalid_scale: { status: 400, title: 'Invalid scale' },
  invalid_position: { status: 400, title: 'Invalid position' },
  invalid_bg_color: { status: 400, title: 'Invalid background color' },
  invalid_bg_image: { status: 400, title: 'Invalid background image' },
  invalid_shadow_type: { status: 400, title: 'Invalid shadow type' },
  invalid_shadow_opacity: { status: 400, title: 'Invalid shadow opacity' },
  invalid_options: { status: 400, title: 'Invalid options' },
  unknown_foreground: { status: 400, title: 'Could not identify foreground in image' },
  output_too_large: { status: 400, title: 'Output image resolution too high' },
  unauthorized: { status: 401, title: 'Missing or wrong inference secret' },
  not_found: { status: 404, title: 'Not found' },
  request_timeout: { status: 408, title: 'Request body not received in time' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  timeout: { status: 504, title: 'Processing timed out' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** The JSON body of every error response: `{ errors: [{ code, title, detail }] }`, as remove.bg answers. */
export interface ErrorBody {
  errors: { code: string; title: string; detail?: string }[];
}

/** A failure with a remove.bg error code. `detail` is a sentence a person can act on. */
export class RenderError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  constructor(code: ErrorCode, detail: string) {
    super(detail);
    this.name = 'RenderError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.title = ERROR_CODES[code].title;
    this.detail = detail;
  }
  toBody(): ErrorBody {
    return { errors: [{ code: this.code, title: this.title, detail: this.detail }] };
  }
}
