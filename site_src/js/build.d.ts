// The shape of build.js, which the site build writes (generator/build/bundle.py: Bundle.build_module): for the
// type check only (tsconfig.json); it is not published.
export const BUILD: {
  version: string;
  pyodide: string;
  modules: string[];
  download: number;
  downloadWithSnapshot: number | null;
  first: string;
  facts: Record<string, string[]>;
};
export const EDITIONS: Record<string, { ui: Record<string, string>; pages: Record<string, string> }>;
