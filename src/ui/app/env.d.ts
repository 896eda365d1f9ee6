// Bun bundles CSS imports into the UI's stylesheet (src/ui/bundle.ts).
declare module "*.css";
