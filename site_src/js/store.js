// Answers kept in this browser only (localStorage), in a versioned record:
//   kasibi:v1:draft:<instrument id> → {format: 1, instrument, instrument_version, saved_at, answers, result}
// A record that cannot be read is set aside under kasibi:v1:corrupt:… (never deleted) and reported.

export const FORMAT = 1;
const PREFIX = "kasibi:v1:";

function storage() {
  try {
    const probe = `${PREFIX}probe`;
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return null;
  }
}

const local = storage();

export const available = local !== null;

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// {status: "empty" | "ok" | "corrupt", record?}
export function loadDraft(instrumentId) {
  if (!local) return { status: "empty" };
  const key = `${PREFIX}draft:${instrumentId}`;
  const raw = local.getItem(key);
  if (raw === null) return { status: "empty" };
  try {
    const record = JSON.parse(raw);
    if (!isPlainObject(record) || record.format !== FORMAT || record.instrument !== instrumentId ||
        !isPlainObject(record.answers)) {
      throw new Error("unexpected shape");
    }
    return { status: "ok", record };
  } catch {
    local.setItem(`${PREFIX}corrupt:${instrumentId}:${Date.now()}`, raw);
    local.removeItem(key);
    return { status: "corrupt" };
  }
}

export function saveDraft(instrumentId, instrumentVersion, answers, result) {
  if (!local) return false;
  const record = {
    format: FORMAT,
    instrument: instrumentId,
    instrument_version: instrumentVersion,
    saved_at: new Date().toISOString(),
    answers,
    result: result ?? null,
  };
  try {
    local.setItem(`${PREFIX}draft:${instrumentId}`, JSON.stringify(record));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(instrumentId) {
  if (local) local.removeItem(`${PREFIX}draft:${instrumentId}`);
}
