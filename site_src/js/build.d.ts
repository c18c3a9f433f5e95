// The shape of build.js, which the site build writes (generator/build/bundle.py: Bundle.build_module): for the
// type check only (tsconfig.json); it is not published.
export const BUILD: {
  version: string;
  pyodide: string;
  modules: string[];
  download: number;
  downloadWithSnapshot: number | null;
  pages: Record<string, string>;
  facts: Record<string, Record<string, string>>;
};
export const UI: Record<string, string>;
