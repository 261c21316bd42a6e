// The phone page of a desperado-quiz night: the protocol of docs/live.md, version 2.
// Everything from the server is shown with textContent, never inserted as HTML.
"use strict";

const VERSION = 2;
const RETRIES = 5;
// Late or not at all, it was no answer: the host's chart says the same.
const MARKS = { right: "✓ Right", partial: "◐ Partly right", wrong: "✗ Wrong", late: "⌛ No answer", skipped: "» Skipped" };
const STATUS_MARKS = { quit: " (quit)", removed: " (removed)" };
const $ = (id) => document.getElementById(id);

let socket = null;
let me = null;
let token = sessionStorage.getItem("desperado-token");
let code = sessionStorage.getItem("desperado-code") || "";
let question = null;
let timer = null;
let finished = false;
let retries = 0;
let heard = false;  // this connection brought a message (a refusal says why itself)
let asking = false;  // the seat is played elsewhere: the player is asked to take it over
let total = 0;  // the game's questions: "right" counts out of these

function show(section) {
  for (const id of ["join", "takeover", "lobby", "question", "reveal", "over"]) $(id).hidden = id !== section;
}

function say(text) { $("message").textContent = text || ""; }

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function connect(first) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${scheme}//${location.host}/ws`);
  heard = false;
  socket.onopen = () => {
    retries = 0;
    send(first);
  };
  socket.onmessage = (event) => {
    let message;
    heard = true;
    try { message = JSON.parse(event.data); } catch { return; }
    const handle = HANDLERS[message.type];
    if (handle) handle(message);
  };
  socket.onclose = () => {
    if (asking) return;  // the player is deciding; a yes opens a new connection
    if (!me && !finished) {  // never let in: the host was busy, or is gone
      if (!heard) say("Could not join the game just now: try again in a moment.");
      $("join-form").querySelector("button").disabled = false;
      return;
    }
    if (finished || !me || !token) return;
    if (retries >= RETRIES) { say("The connection to the host is lost."); return; }
    retries += 1;
    say("Connection lost; trying again…");
    setTimeout(() => connect(rejoin(false)), 1000);
  };
}

// How many players are ranked: those the host removed are listed last, and not counted.
function ranked(message) { return Math.max(message.players - (message.removed || 0), 0); }

function ordinal(n) {
  const s = ["th", "st", "nd", "rd"], v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

// The rows the host sends: the top of the table, then the rows around this player's.
function boardRows(message) {
  const byRank = new Map();
  for (const row of [...(message.top || []), ...(message.near || [])]) {
    if (!byRank.has(row.rank)) byRank.set(row.rank, row);
  }
  return [...byRank.values()].sort((a, b) => a.rank - b.rank);
}

function fillStandings(list, message) {
  list.replaceChildren();
  let previous = 0;
  for (const row of boardRows(message)) {
    if (row.rank > previous + 1) {  // ranks left out between the top and this player's
      const gap = document.createElement("li");
      gap.className = "gap";
      gap.textContent = "…";
      list.append(gap);
    }
    previous = row.rank;
    const item = document.createElement("li");
    if (row.status === "removed") item.className = "out";  // listed, with no place
    else item.value = row.rank;
    let mark = STATUS_MARKS[row.status] || "";
    if (!mark && row.status === "playing" && row.connected === false) mark = " (away)";
    const right = total ? ` · ${row.right} of ${total} right` : "";
    item.textContent = `${row.player}${mark} · ${row.score} points${right}`;
    if (row.player === me) item.classList.add("you");
    list.append(item);
  }
}

function setEnabled(enabled) {
  for (const control of document.querySelectorAll("#question button, #question input")) {
    if (control.id !== "q-hint" || enabled) control.disabled = !enabled;
  }
}

function answer(text) {
  if (!question) return;
  say("");  // an earlier refusal is answered by this line
  send({ type: "answer", question: question.number, text });
  $("q-status").textContent = "Sending…";
}

function pick(button, picked) {
  button.classList.toggle("picked", picked);
  button.setAttribute("aria-pressed", picked ? "true" : "false");
}

function unpick() {
  for (const button of document.querySelectorAll("#q-options button")) pick(button, false);
}

// A rejoin that asks first (replace: false) when another tab or device may play the seat;
// our own connection coming back after a drop takes it at once.
function rejoin(askFirst) {
  const message = { type: "rejoin", version: VERSION, code, token };
  if (askFirst) message.replace = false;
  return message;
}

function leaveSeat(text) {
  finished = true;
  me = null;
  token = null;
  sessionStorage.removeItem("desperado-token");
  $("who").textContent = "";
  say(text);
  show("join");
  $("join-form").querySelector("button").disabled = false;
}

function optionButton(option, kind) {
  const button = document.createElement("button");
  button.type = "button";
  const letter = document.createElement("span");
  letter.className = "letter";
  letter.textContent = option.letter;
  button.append(letter, document.createTextNode(option.text));
  button.addEventListener("click", () => {
    if (kind === "choice" || kind === "boolean") {
      unpick();
      pick(button, true);  // the tap shows until the verdict
      answer(option.send || option.letter);
      return;
    }
    // multi: toggle a pick; order: add the next letter. Either way the field shows it.
    const field = $("q-input");
    let picks = field.value.replace(/[^A-Za-z]/g, "").toUpperCase().split("").filter(Boolean);
    if (kind === "multi" && picks.includes(option.letter)) {
      picks = picks.filter((p) => p !== option.letter);
      pick(button, false);
    } else if (!picks.includes(option.letter)) {
      picks.push(option.letter);
      pick(button, true);
    }
    field.value = picks.join(kind === "multi" ? "," : "");
  });
  return button;
}

function tick() {
  const left = Math.max(0, (question.deadline - performance.now()) / 1000);
  $("q-left").textContent = left > 0 ? `${Math.ceil(left)} s left` : "Time is up";
  $("q-bar").style.width = `${question.seconds ? (100 * left) / question.seconds : 0}%`;
  if (left <= 0) { clearInterval(timer); setEnabled(false); }
}

const HANDLERS = {
  welcome(message) {
    me = message.name;
    token = message.token;
    sessionStorage.setItem("desperado-token", token);
    sessionStorage.setItem("desperado-code", code);
    $("who").textContent = `You are ${me}`;
    say("");
    if (message.state === "lobby") show("lobby");
    HANDLERS.lobby(message);
  },
  lobby(message) {
    const more = message.players > message.latest.length ? "…, " : "";
    $("players").textContent = `Players (${message.players}): ${more}${message.latest.join(", ")}`;
  },
  question(message) {
    question = { ...message, deadline: performance.now() + message.seconds_left * 1000 };
    $("q-number").textContent = `Question ${message.number} of ${message.total}`;
    $("q-about").textContent = `${message.category} · ${message.points} points`;
    $("q-text").textContent = message.text;
    const tapped = ["choice", "boolean"].includes(message.kind);
    $("q-how").textContent = tapped ? "Tap your answer." : message.how;
    $("q-status").textContent = "";
    say("");  // what was said about the last question is over with it
    $("q-input").value = "";
    $("q-hint").hidden = !message.has_hint;
    const options = $("q-options");
    options.replaceChildren();
    let choices = message.options;
    if (message.kind === "boolean") {
      choices = [{ letter: "T", text: "True", send: "true" }, { letter: "F", text: "False", send: "false" }];
    }
    for (const option of choices) options.append(optionButton(option, message.kind));
    $("q-form").hidden = tapped;
    show("question");
    setEnabled(!message.answered);
    if (message.answered) $("q-status").textContent = "Your answer is locked in.";
    clearInterval(timer);
    timer = setInterval(tick, 250);
    tick();
  },
  accepted(message) {
    setEnabled(false);
    $("q-hint").disabled = true;
    $("q-status").textContent = `Locked in: ${message.given}`;
  },
  hint(message) {
    $("q-hint").disabled = true;
    $("q-status").textContent = message.text ? `Hint: ${message.text} (half points)` : "No hint for this one.";
  },
  reveal(message) {
    clearInterval(timer);
    question = null;
    total = message.total;
    say("");
    const row = message.you;
    const verdict = row && row.verdict ? MARKS[row.verdict] || row.verdict : "No answer";
    const shown = $("r-verdict");
    shown.textContent = row ? `${verdict} · +${row.gained}` : verdict;
    shown.className = `big ${row && row.verdict === "right" ? "good" : "bad"}`;
    $("r-rank").textContent = row
      ? `You are ${ordinal(row.rank)} of ${ranked(message)} with ${row.score} points · ${row.right} of ${total} right`
      : "";
    $("r-answer").textContent = message.answer;
    $("r-explanation").textContent = message.explanation;
    fillStandings($("r-top"), message);
    show("reveal");
  },
  over(message) {
    finished = true;
    clearInterval(timer);
    sessionStorage.removeItem("desperado-token");
    total = message.total || total;
    say("");
    const row = message.you;
    $("o-why").textContent = message.status === "finished" ? ""
      : message.questions ? `The host ended the game at question ${message.questions} of ${total}.`
      : "The host ended the game before the first question.";
    $("o-rank").textContent = row
      ? `You finished ${ordinal(row.rank)} of ${ranked(message)} with ${row.score} points.`
      : "";
    fillStandings($("o-standings"), message);
    show("over");
  },
  bye(message) {
    leaveSeat(message.message);  // left, removed by the host, or playing elsewhere now
  },
  error(message) {
    if (message.code === "removed") { leaveSeat(message.message); return; }
    if (message.code === "in-use" && !me) {
      asking = true;
      $("t-question").textContent = message.message;
      show("takeover");
      return;
    }
    if (message.code === "not-an-answer") unpick();
    if (!me) {
      show("join");
      $("join-form").querySelector("button").disabled = false;
    }
    if (message.code === "token") { token = null; sessionStorage.removeItem("desperado-token"); }
    if (question && !["too-fast"].includes(message.code)) $("q-status").textContent = "";
    say(message.message);
  },
};

$("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  code = $("code").value.trim();
  const name = $("name").value.trim();
  say("");
  finished = false;
  event.submitter && (event.submitter.disabled = true);
  const message = { type: "join", version: VERSION, code, name };
  if (socket && socket.readyState === WebSocket.OPEN) send(message);
  else connect(message);
});

$("q-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("q-input").value;
  if (text.trim()) answer(text);
});

$("t-yes").addEventListener("click", () => {
  asking = false;
  // The host may have closed the connection while the player thought: open another.
  if (socket && socket.readyState === WebSocket.OPEN) send(rejoin(false));
  else connect(rejoin(false));
});

$("t-no").addEventListener("click", () => {
  asking = false;
  if (socket) socket.close();
  leaveSeat("The seat stays with the other tab or device. To join as someone else, use another name.");
});

$("q-hint").addEventListener("click", () => {
  if (question) send({ type: "hint", question: question.number });
});

const given = new URLSearchParams(location.search).get("code");
if (given) { $("code").value = given; $("name").focus(); }
// A reloaded page (or a phone that woke up) takes its place back with its token.
if (token && code) {
  connect(rejoin(true));
}
