export * from './units';
export * from './prices';
export * from './calendar';
export * from './lots';
export * from './subscription';
export * from './account';
export * from './returns';
export * from './grants';
