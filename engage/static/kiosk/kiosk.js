/* The kiosk: answers are saved in this browser (IndexedDB), each with an id made here, and sent
   when there is a connection. The server stores an id once, so sending again is harmless. */
(function () {
  "use strict";

  var root = document.querySelector("[data-kiosk]");
  if (!root || !window.indexedDB || !window.fetch) {
    return;
  }
  var eventId = Number(root.getAttribute("data-event-id"));
  var sendUrl = root.getAttribute("data-send-url");
  var form = document.getElementById("kiosk-form");
  var waitingText = document.getElementById("kiosk-waiting");
  var lastSentText = document.getElementById("kiosk-last-sent");
  var notice = document.getElementById("kiosk-notice");
  var problem = document.getElementById("kiosk-problem");
  var problemList = document.getElementById("kiosk-problem-list");
  var lastSentKey = "engage-kiosk-last-sent-" + eventId;
  var stoppedMessage = root.getAttribute("data-refused");
  var sending = false;

  function openStore() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("engage-kiosk", 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore("answers", { keyPath: "client_id" });
        store.createIndex("event_id", "event_id");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openStore().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction("answers", mode);
        var result = work(transaction.objectStore("answers"));
        transaction.oncomplete = function () {
          db.close();
          resolve(result && "result" in result ? result.result : undefined);
        };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function eventAnswers() {
    return withStore("readonly", function (store) {
      return store.index("event_id").getAll(eventId);
    });
  }

  function putAnswer(record) {
    return withStore("readwrite", function (store) { store.put(record); });
  }

  function deleteAnswer(clientId) {
    return withStore("readwrite", function (store) { store.delete(clientId); });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function showStatus() {
    return eventAnswers().then(function (records) {
      var waiting = records.filter(function (r) { return !r.problem; }).length;
      var attention = records.length - waiting;
      waitingText.textContent = waiting
        ? plural(waiting, "answer", "answers") + " waiting to send."
        : "No answers waiting to send.";
      var lastSent = window.localStorage.getItem(lastSentKey);
      lastSentText.textContent = lastSent ? "Last sent at " + lastSent + "." : "";
      var messages = [];
      if (stoppedMessage) {
        messages.push(stoppedMessage + " " + plural(records.length, "answer is", "answers are") +
          " kept on this tablet.");
      }
      if (attention) {
        messages.push(plural(attention, "answer needs", "answers need") +
          " a member of staff: the server refused " + (attention === 1 ? "it" : "them") + " (" +
          records.filter(function (r) { return r.problem; })[0].problem + "). " +
          (attention === 1 ? "It is" : "They are") + " kept on this tablet.");
      }
      if (messages.length || notice.getAttribute("data-sticky") !== "thanks") {
        notice.textContent = messages.join(" ");
      }
      root.setAttribute("data-waiting", String(waiting));
    });
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function sendOne(record) {
    return fetch(sendUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ client_id: record.client_id, answers: record.answers })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          window.localStorage.setItem(lastSentKey, clock());
          return deleteAnswer(record.client_id).then(function () { return true; });
        }
        var message = body.message || "The server could not take the answer.";
        if (response.status === 400 || response.status === 422) {
          record.problem = message;
          return putAnswer(record).then(function () { return true; });
        }
        if (response.status === 403 || response.status === 404 || response.status === 410 ||
            response.status === 409) {
          stoppedMessage = message;
        }
        return false;
      });
    });
  }

  function sendWaiting() {
    if (sending || !sendUrl || stoppedMessage) {
      return showStatus();
    }
    sending = true;
    return eventAnswers().then(function (records) {
      var queue = records.filter(function (r) { return !r.problem; });
      var next = function () {
        var record = queue.shift();
        if (!record) { return null; }
        return sendOne(record).then(function (carryOn) { return carryOn ? next() : null; });
      };
      return next();
    }).catch(function () {
      return null;  /* offline or the server is unreachable: the answers wait */
    }).then(function () {
      sending = false;
      return showStatus();
    });
  }

  function readAnswers() {
    var answers = {};
    new FormData(form).forEach(function (value, name) {
      if (/^q\d+$/.test(name) && String(value).trim()) {
        (answers[name] = answers[name] || []).push(String(value));
      }
    });
    return answers;
  }

  function showProblems(problems) {
    problemList.textContent = "";
    problems.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + item[0];
      link.textContent = item[1];
      li.appendChild(link);
      problemList.appendChild(li);
    });
    problem.hidden = problems.length === 0;
    if (problems.length) { problem.focus(); }
  }

  function onSubmit(submitEvent) {
    submitEvent.preventDefault();
    var answers = readAnswers();
    var problems = [];
    form.querySelectorAll("[data-required]").forEach(function (question) {
      var name = question.getAttribute("data-question");
      if (!answers[name]) { problems.push([name, question.getAttribute("data-required")]); }
    });
    if (!problems.length && !Object.keys(answers).length) {
      var first = form.querySelector("[data-question]");
      problems.push([first ? first.getAttribute("data-question") : "kiosk-form",
        "Answer at least one question before saving"]);
    }
    showProblems(problems);
    if (problems.length) { return; }
    var record = { client_id: newId(), event_id: eventId, answers: answers,
      saved_at: new Date().toISOString(), problem: null };
    putAnswer(record).then(function () {
      form.reset();
      notice.setAttribute("data-sticky", "thanks");
      notice.textContent = "Thank you: your answers are saved. The next person can start now.";
      window.scrollTo(0, 0);
      return sendWaiting();
    }).then(function () {
      notice.removeAttribute("data-sticky");
    });
  }

  function keepForOffline() {
    var workerUrl = root.getAttribute("data-worker-url");
    if (!("serviceWorker" in navigator) || !workerUrl || !window.caches) {
      return;
    }
    var scope = workerUrl.slice(0, workerUrl.lastIndexOf("/") + 1);
    navigator.serviceWorker.register(workerUrl, { scope: scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      var urls = [root.getAttribute("data-page-url")].concat(
        (root.getAttribute("data-assets") || "").split(" ").filter(Boolean));
      return caches.open("engage-kiosk-v1").then(function (cache) { return cache.addAll(urls); });
    }).then(function () {
      root.setAttribute("data-offline-ready", "true");
    }).catch(function () {
      return null;  /* online-only kiosk: answers still wait in IndexedDB while the page is open */
    });
  }

  if (form) {
    form.addEventListener("submit", onSubmit);
  }
  window.addEventListener("online", sendWaiting);
  window.setInterval(sendWaiting, 30000);
  keepForOffline();
  sendWaiting();
})();
