// Where the compiled binary keeps its embedded vec0.so. From source this is `undefined` and
// sqlite-vec.ts uses node_modules' file instead; build.ts replaces this module's body per target with
// `import path from "<target's vec0.so>" with { type: "file" }`, which puts the file under /$bunfs/.
export const vec0EmbeddedPath: string | undefined = undefined;
