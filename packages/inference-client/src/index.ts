// What the web app and the inference service share: the typed HTTP client, the render options in
// remove.bg's syntax, remove.bg's error codes and the /v1/stats answer. No image code here (sharp
// and the model stay in apps/inference), so the web app depends on this package and never on the
// service itself.
export * from './client.ts';
export * from './options.ts';
export * from './errors.ts';
export * from './request-id.ts';
export * from './metrics-auth.ts';
export * from './stats.ts';
