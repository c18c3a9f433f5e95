// The engine worker's message protocol, declared once: engine-client.js sends the requests and reads the
// replies, worker.js answers. Every request carries an `id` (added by the client) that its reply repeats.

/** @typedef {{type: "score", src: string, answers: object}} ScoreRequest  src: a compiled instrument's URL */
/** @typedef {{type: "compare", older: object, newer: object}} CompareRequest  two results of one instrument */
/** @typedef {{type: "completion", src: string, values: object}} CompletionRequest  src: a compiled template's URL */
/** @typedef {{type: "docx", src: string, values: object}} DocxRequest  the filled Word file's bytes */
/**
 * @typedef {{type: "share", src: string, answers: object, result: object, facts: object, shareId: string,
 *   month: string}} ShareRequest  a teacher's file for the school (text)
 */
/** @typedef {{type: "share-contents", src: string, facts: object}} ShareContentsRequest  what that file holds */
/**
 * @typedef {{type: "aggregate", files: {name: string, bytes: Uint8Array}[], lang: string}} AggregateRequest
 *   ← {summary, named}: the summary file's text, and the mentoring pairs when every file carries a name
 */
/**
 * @typedef {{type: "report", summary: string, earlier: string, named: string, lang: string}} ReportRequest
 *   what the school page draws (privacy rules applied)
 */
/** @typedef {{type: "layout-docx", document: object}} LayoutDocxRequest  a report's Word file (word-layout.js) */
/** @typedef {{type: "pack-docx", pack: object}} PackDocxRequest  the attestation pack's Word file (portfolio.js) */
/**
 * @typedef {ScoreRequest | CompareRequest | CompletionRequest | DocxRequest | ShareRequest | ShareContentsRequest
 *   | AggregateRequest | ReportRequest | LayoutDocxRequest | PackDocxRequest} Request
 */

/**
 * Replies from the worker:
 * @typedef {{type: "progress", loaded: number, total: number, downloads: number}} Progress  decoded bytes so far
 * @typedef {{type: "ready", engine: string, python: string, from: string, wasmType: string | null}} Ready
 *   from: how Python started (the snapshot or the sources); wasmType: the wrong type a server gave the .wasm
 * @typedef {{type: "failed", reason: string, scriptType?: {file: string, type: string}}} Failed
 *   scriptType: when a server gives a module script a type browsers refuse
 * @typedef {{type: "result", id: number, result: any}} Result
 * @typedef {{type: "error", id: number, reason: string}} Failure  the last line of the Python exception
 * @typedef {{type: "pong"}} Pong  the answer to {type: "ping"}: the worker is alive
 */

/** The request types, by the name the client's methods use. */
export const REQUEST = Object.freeze({
  score: "score",
  compare: "compare",
  completion: "completion",
  docx: "docx",
  share: "share",
  shareContents: "share-contents",
  aggregate: "aggregate",
  report: "report",
  layoutDocx: "layout-docx",
  packDocx: "pack-docx",
});

/** The reply types, and the ping that is not a request (it has no id and no result). */
export const REPLY = Object.freeze({
  progress: "progress",
  ready: "ready",
  failed: "failed",
  result: "result",
  error: "error",
  pong: "pong",
});
export const PING = "ping";
