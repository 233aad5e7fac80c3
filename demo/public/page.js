// The demo page: keeps the channel in step with the server's event stream and draws it the way Slack would (threads
// under their parent, private messages marked); sends typed commands, clicks (after any confirm dialog) and choices.
import { renderBlocks, textObjectHtml } from "./block-kit.js";
import { escapeHtml, formatClock, mrkdwnToHtml, plainTextToHtml } from "./mrkdwn.js";

const BOT_NAME = "workato-jobs";

const timeline = /** @type {HTMLElement} */ (document.getElementById("timeline"));
const composer = /** @type {HTMLFormElement} */ (document.getElementById("composer"));
const messageBox = /** @type {HTMLInputElement} */ (document.getElementById("message-box"));
const notice = /** @type {HTMLElement} */ (document.getElementById("notice"));
const suggestionList = /** @type {HTMLElement} */ (document.getElementById("suggestions"));
const dialog = /** @type {HTMLDialogElement} */ (document.getElementById("confirm"));
const homeDialog = /** @type {HTMLDialogElement} */ (document.getElementById("home"));
const homeButton = /** @type {HTMLButtonElement} */ (document.getElementById("home-button"));

const state = {
  /** the bot and people's names, from the latest snapshot */
  botUserId: "",
  /** @type {Record<string, string>} */
  people: {},
  /** every item (message or command) by id */
  items: new Map(),
  /** parents whose thread is open */
  expanded: new Set(),
  /** ephemeral messages the viewer dismissed */
  dismissed: new Set(),
  /** items changed in place since they were last drawn: drawn with a highlight */
  changed: new Set(),
  /** what each drawn item was drawn from, so unchanged ones are kept as they are */
  views: new Map(),
  /** commands sent, for the arrow keys */
  history: /** @type {string[]} */ ([]),
  historyIndex: 0,
};

// ---- Talking to the demo server

/** POSTs JSON; the answer is { ok: true } or { ok: false, problem }. */
async function post(path, body) {
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return await response.json();
  } catch (error) {
    return {
      ok: false,
      problem: `The demo server did not answer (${error}). Is npm run demo still running?`,
    };
  }
}

function showProblem(outcome) {
  notice.textContent = outcome.ok ? "" : outcome.problem;
  notice.hidden = outcome.ok;
}

function compareTs(a, b) {
  const [aSeconds, aMicros = "0"] = a.split(".");
  const [bSeconds, bMicros = "0"] = b.split(".");
  return Number(aSeconds) - Number(bSeconds) || Number(aMicros) - Number(bMicros);
}

// ---- Clicks and choices, after Slack's confirm dialog when the element has one

/** Shows the element's confirm dialog; resolves true only when the confirm button was pressed. */
function confirmed(confirm) {
  const context = { people: state.people, onAction: () => {} };
  dialog.querySelector("h2").innerHTML = textObjectHtml(confirm.title, context) || "Are you sure?";
  dialog.querySelector(".dialog-text").innerHTML = textObjectHtml(confirm.text, context);
  const confirmButton = dialog.querySelector("button[value=confirm]");
  confirmButton.innerHTML = textObjectHtml(confirm.confirm, context) || "Yes";
  confirmButton.className = `bk-button ${confirm.style === "danger" ? "danger" : "primary"}`;
  dialog.querySelector("button[value=deny]").innerHTML = textObjectHtml(confirm.deny, context) || "Cancel";
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true });
  });
}

async function act(message, action) {
  if (action.url) window.open(action.url, "_blank", "noopener");
  if (action.confirm && !(await confirmed(action.confirm))) {
    if (action.type === "static_select") action.control.value = "";
    return;
  }
  // What a click starts is usually reported in the message's thread: open it.
  state.expanded.add(message.threadTs ?? message.ts);
  action.control.disabled = true;
  const outcome =
    action.type === "button"
      ? await post("/api/click", { messageTs: message.ts, actionId: action.actionId })
      : await post("/api/choose", { messageTs: message.ts, actionId: action.actionId, value: action.value });
  action.control.disabled = false;
  showProblem(outcome);
  draw();
}

// ---- The App Home tab: what the app published for the viewer when they opened it

async function openHome() {
  homeButton.disabled = true;
  const outcome = await post("/api/home", {});
  homeButton.disabled = false;
  showProblem(outcome);
  if (!outcome.ok) return;
  const view = homeDialog.querySelector(".home-view");
  view.replaceChildren(renderBlocks(outcome.blocks, { people: state.people, onAction: () => {} }));
  homeDialog.showModal();
}

homeButton.addEventListener("click", () => {
  openHome();
});

// ---- Drawing the channel

function personName(userId) {
  if (userId === state.botUserId) return BOT_NAME;
  return state.people[userId] ?? userId;
}

function drawCommand(item) {
  const row = document.createElement("div");
  row.className = "command";
  row.dataset.id = item.id;
  row.innerHTML = `<span class="author">${escapeHtml(personName(item.user))}</span> used <code>${escapeHtml(item.text)}</code> <time>${formatClock(item.ts)}</time>`;
  return row;
}

function drawMessage(message, replies) {
  const article = document.createElement("article");
  article.className = `message${message.ephemeral ? " ephemeral" : ""}`;
  article.dataset.ts = message.ts;
  const isBot = message.user === state.botUserId;
  const name = personName(message.user);
  article.innerHTML = `
    <div class="avatar${isBot ? " bot" : ""}" aria-hidden="true">${escapeHtml(name.slice(0, 1).toUpperCase())}</div>
    <div class="content">
      <div class="meta"><span class="author">${escapeHtml(name)}</span>${isBot ? '<span class="app-badge">APP</span>' : ""}<time>${formatClock(message.ts)}</time></div>
    </div>`;
  const content = article.querySelector(".content");
  if (message.ephemeral) {
    const only = document.createElement("div");
    only.className = "only-you";
    only.innerHTML = `${plainTextToHtml(":eyes:")} Only visible to you <button type="button" class="link">Dismiss</button>`;
    only.querySelector("button").addEventListener("click", () => {
      state.dismissed.add(message.id);
      draw();
    });
    content.append(only);
  }
  const context = { people: state.people, onAction: (action) => act(message, action) };
  content.append(message.blocks.length > 0 ? renderBlocks(message.blocks, context) : bodyText(message.text));
  if (state.changed.delete(message.id)) article.classList.add("just-changed");
  if (replies) content.append(drawThread(message, replies));
  return article;
}

function bodyText(text) {
  const body = document.createElement("div");
  body.className = "blocks";
  body.innerHTML = mrkdwnToHtml(text, state.people);
  return body;
}

function drawThread(parent, replies) {
  const thread = document.createElement("div");
  thread.className = "thread";
  if (replies.length === 0) return thread;
  const open = state.expanded.has(parent.ts);
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "thread-toggle";
  const count = `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`;
  toggle.textContent = open ? `Hide ${count}` : count;
  toggle.setAttribute("aria-expanded", String(open));
  toggle.addEventListener("click", () => {
    if (open) state.expanded.delete(parent.ts);
    else state.expanded.add(parent.ts);
    draw();
  });
  thread.append(toggle);
  if (open) {
    const list = document.createElement("div");
    list.className = "replies";
    for (const reply of replies) list.append(drawMessage(reply, null));
    thread.append(list);
  }
  return thread;
}

/** The item's element: the one drawn before when nothing it shows has changed, else a new one. */
function viewOf(item, replies) {
  const key =
    item.kind === "command"
      ? "command"
      : [
          item.version,
          state.expanded.has(item.ts),
          ...replies.map((reply) => `${reply.id}:${reply.version}`),
        ].join("|");
  const drawn = state.views.get(item.id);
  if (drawn && drawn.key === key && !state.changed.has(item.id)) return drawn.element;
  const element = item.kind === "command" ? drawCommand(item) : drawMessage(item, replies);
  state.views.set(item.id, { key, element });
  return element;
}

/** Puts `nodes` in `container` in order, moving only what is out of place (an open select stays open). */
function arrange(container, nodes) {
  nodes.forEach((node, index) => {
    if (container.children[index] !== node) container.insertBefore(node, container.children[index] ?? null);
  });
  while (container.children.length > nodes.length) container.lastElementChild?.remove();
}

function draw() {
  const items = [...state.items.values()]
    .filter((item) => !state.dismissed.has(item.id))
    .sort((a, b) => compareTs(a.ts, b.ts));
  const replies = new Map();
  const topLevel = [];
  for (const item of items) {
    const isReply = item.kind === "message" && item.threadTs !== null && item.threadTs !== item.ts;
    if (isReply) replies.set(item.threadTs, [...(replies.get(item.threadTs) ?? []), item]);
    if (!isReply || item.broadcast) topLevel.push(item);
  }
  const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 80;
  arrange(
    timeline,
    topLevel.map((item) => viewOf(item, replies.get(item.ts) ?? [])),
  );
  if (topLevel.length === 0)
    timeline.innerHTML = '<p class="empty">No messages yet. Try a command below.</p>';
  if (atBottom) timeline.scrollTop = timeline.scrollHeight;
}

// ---- The event stream: a snapshot on (re)connecting, then every change

function applySnapshot(snapshot) {
  state.botUserId = snapshot.botUserId;
  state.people = snapshot.people;
  state.items = new Map(snapshot.items.map((item) => [item.id, item]));
  state.views.clear();
  timeline.replaceChildren();
  document.title = `#${snapshot.channel.name} — workato-jobs demo`;
  document.getElementById("channel-name").textContent = snapshot.channel.name;
  messageBox.placeholder = `Message #${snapshot.channel.name} — try ${snapshot.suggestions[0] ?? "/workato-jobs help"}`;
  suggestionList.replaceChildren(
    ...snapshot.suggestions.map((command) => {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "suggestion";
      chip.textContent = command;
      chip.addEventListener("click", () => {
        messageBox.value = command;
        messageBox.focus();
      });
      return chip;
    }),
  );
}

function applyChange(event) {
  const { item } = event;
  if (event.type === "message" && event.change === "deleted") state.items.delete(item.id);
  else state.items.set(item.id, item);
  if (event.type === "message" && event.change === "updated") state.changed.add(item.id);
}

function connect() {
  const events = new EventSource("/api/events");
  events.addEventListener("snapshot", (event) => {
    applySnapshot(JSON.parse(event.data));
    document.body.dataset.connection = "live";
    draw();
  });
  events.addEventListener("change", (event) => {
    applyChange(JSON.parse(event.data));
    draw();
  });
  // EventSource reconnects by itself; the next snapshot brings the page up to date.
  events.addEventListener("error", () => {
    document.body.dataset.connection = "reconnecting";
  });
}

// ---- The message box

composer.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = messageBox.value.trim();
  if (text === "") return;
  state.history.push(text);
  state.historyIndex = state.history.length;
  messageBox.value = "";
  const outcome = await post("/api/send", { text });
  showProblem(outcome);
  if (!outcome.ok) messageBox.value = text;
  timeline.scrollTop = timeline.scrollHeight;
});

messageBox.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
  const step = event.key === "ArrowUp" ? -1 : 1;
  const index = Math.min(Math.max(state.historyIndex + step, 0), state.history.length);
  if (index === state.historyIndex) return;
  event.preventDefault();
  state.historyIndex = index;
  messageBox.value = state.history[index] ?? "";
});

connect();
messageBox.focus();
