export * from './pages.js';
export * from './auth.js';
export * from './text.js';
export * from './errors.js';
export * from './list.js';
export * from './jalali.js';
export * from './org.js';
