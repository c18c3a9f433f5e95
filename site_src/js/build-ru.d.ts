// The shape of build-ru.js (generator/build/bundle.py: strings_module): for the type check only.
export const UI: Record<string, string>;
