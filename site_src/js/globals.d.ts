// What the browser code reads that TypeScript's DOM library does not declare: for the type check only.
interface Navigator {
  connection?: { saveData?: boolean; type?: string; effectiveType?: string; downlink?: number }; // Chromium's Network Information API
  standalone?: boolean; // iOS Safari: the site runs from the Home Screen
}
interface Window {
  kasibiEngine?: { worker: Worker; messages: unknown[]; error?: string }; // engine-boot.js: the worker started early
  document$?: { subscribe(next: () => void): void }; // Material's observable of each page it shows
}
interface PerformanceEntry {
  transferSize?: number; // a PerformanceResourceTiming's
}
