// Read answers from the server-rendered form and write saved answers back into it.
// Values only ever go into existing inputs; nothing from storage becomes markup.
//
// Controls are found with querySelectorAll, never as form[name] or form.elements[name]: an item id
// such as "before", "reset", "elements" or "dataset" is also the name of a form property.

function typed(input) {
  return input.getAttribute("data-type") === "number" ? Number(input.value) : input.value;
}

function controls(form, name) {
  const named = CSS.escape(name);
  return [...form.querySelectorAll(`input[name="${named}"], textarea[name="${named}"]`)];
}

export function readAnswers(form) {
  const answers = {};
  for (const input of form.querySelectorAll("input[type=radio]:checked")) {
    answers[input.name] = typed(input);
  }
  const checks = new Map();
  for (const input of form.querySelectorAll("input[type=checkbox]")) {
    if (!checks.has(input.name)) checks.set(input.name, []);
    if (input.checked) checks.get(input.name).push(typed(input));
  }
  for (const [name, values] of checks) if (values.length) answers[name] = values;
  for (const area of form.querySelectorAll("textarea")) {
    if (area.value.trim()) answers[area.name] = area.value;
  }
  return answers;
}

// Put saved answers into the form; returns the answers that fitted (unknown items or values are dropped).
export function writeAnswers(form, answers) {
  const applied = {};
  for (const [name, value] of Object.entries(answers)) {
    const inputs = controls(form, name);
    if (!inputs.length) continue;
    if (inputs[0].tagName === "TEXTAREA") {
      if (typeof value === "string") {
        inputs[0].value = value.slice(0, inputs[0].maxLength > 0 ? inputs[0].maxLength : undefined);
        applied[name] = inputs[0].value;
      }
      continue;
    }
    const wanted = (Array.isArray(value) ? value : [value]).map(String);
    const hits = [];
    for (const input of inputs) {
      input.checked = wanted.includes(input.value);
      if (input.checked) hits.push(typed(input));
    }
    if (hits.length) applied[name] = inputs[0].type === "checkbox" ? hits : hits[0];
  }
  return applied;
}

// Every answer removed (form.reset() would be shadowed by an item named "reset").
export function clearAnswers(form) {
  for (const input of form.querySelectorAll("input[type=radio], input[type=checkbox]")) input.checked = false;
  for (const area of form.querySelectorAll("textarea")) area.value = "";
}

// Two sets of answers are the same whatever order their items were read in.
export function sameAnswers(a, b) {
  const canonical = (answers) => JSON.stringify(Object.entries(answers).sort(([x], [y]) => (x < y ? -1 : 1)));
  return canonical(a) === canonical(b);
}

// Required items, from the markup: the question (fieldset or textarea) marked data-required.
export function requiredItems(form) {
  const names = new Set();
  for (const group of form.querySelectorAll("[data-required]")) {
    const input = group.matches("textarea") ? group : group.querySelector("input");
    if (input) names.add(input.name);
  }
  return [...names];
}
