// Vite turns CSS imports into <link> tags; TypeScript only needs to know they resolve.
declare module '*.css';
