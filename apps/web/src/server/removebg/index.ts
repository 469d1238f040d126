export { handleAccount, handleImprove, handleOpenApi, handleRemoveBg } from './handlers';
export { getApiDeps, limitsFromEnv, type ApiDeps, type InferencePort, type StoragePort } from './deps';
export { openApiDocument } from './openapi';
export { preflight } from './http';
