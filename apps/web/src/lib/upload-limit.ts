/**
 * The upload limit as people read it. The number comes from the one constant the service and the
 * web app share (MAX_UPLOAD_BYTES), so the sentence cannot drift from the check.
 */
import { MAX_UPLOAD_BYTES } from '@bgr/inference-client/options';

/** 22 (MiB, written "MB" as people say it). */
export const MAX_UPLOAD_MB = MAX_UPLOAD_BYTES / (1024 * 1024);

export const FILE_TOO_LARGE_SENTENCE = `That file is larger than ${MAX_UPLOAD_MB} MB. Please choose a smaller image.`;
