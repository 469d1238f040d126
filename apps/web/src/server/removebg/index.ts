import { handleAccount as account, handleImprove as improve, handleRemoveBg as removeBg } from './handlers';
import { observeApi } from './observe';

// Each endpoint counted in bgr_api_requests_total under its path (observe.ts).
export const handleRemoveBg = observeApi('/v1.0/removebg', removeBg);
export const handleAccount = observeApi('/v1.0/account', account);
export const handleImprove = observeApi('/v1.0/improve', improve);
export { handleOpenApi } from './handlers';
export { getApiDeps, limitsFromEnv, type ApiDeps, type InferencePort, type StoragePort } from './deps';
export { openApiDocument } from './openapi';
export { preflight } from './http';
