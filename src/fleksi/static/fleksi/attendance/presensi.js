/* Fleksi presensi: the phone page's offline check-in queue (docs/decisions/120-123).
 *
 * A press stores the check-in in IndexedDB first (with its idempotency key, the device's
 * time and offset and the user's id), then asks for a location (10 s at most, never
 * blocking), then sends. The queue is sent on start, on `online`, when the page becomes
 * visible and every 30 s while something waits; only items of the user the server says is
 * logged in are sent. An item leaves the queue only after a 201/200; a 4xx keeps it as
 * "ditolak" with the server's message. No framework, no Background Sync.
 */
(function () {
  "use strict";
  var root = document.getElementById("presensi");
  var dataEl = document.getElementById("presensi-data");
  if (!root || !dataEl) return;
  var cfg = JSON.parse(dataEl.textContent);
  var T = cfg.texts;
  var button = document.getElementById("presensi-tombol");
  var place = document.getElementById("presensi-tempat");
  var list = document.getElementById("presensi-daftar");
  var status = document.getElementById("presensi-status");
  var net = document.getElementById("presensi-jaringan");
  var LOCATE_MS = 10000;
  var busy = false;
  var flushing = null;

  // ---- IndexedDB: "queue" (unsent, and rejected) and "sent" (today's log) ----
  var dbp = null;
  function db() {
    if (!dbp) {
      dbp = new Promise(function (resolve, reject) {
        var open = indexedDB.open("fleksi-presensi", 1);
        open.onupgradeneeded = function () {
          open.result.createObjectStore("queue", { keyPath: "key" });
          open.result.createObjectStore("sent", { keyPath: "key" });
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbp;
  }
  function tx(stores, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(stores, "readwrite");
        var req = fn(t);
        var out;
        if (req) req.onsuccess = function () { out = req.result; };
        t.oncomplete = function () { resolve(out); };
        t.onerror = t.onabort = function () { reject(t.error); };
      });
    });
  }
  function all(store) { return tx([store], function (t) { return t.objectStore(store).getAll(); }); }
  function put(store, item) { return tx([store], function (t) { t.objectStore(store).put(item); }); }
  function remove(store, key) { return tx([store], function (t) { t.objectStore(store).delete(key); }); }
  function markSent(item, record) {
    item.state = "terkirim";
    item.record = record || {};
    item.sent_at = Date.now();
    return tx(["queue", "sent"], function (t) {
      t.objectStore("sent").put(item);
      t.objectStore("queue").delete(item.key);
    });
  }

  // ---- small helpers ----
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoLocal(d) {
    var off = -d.getTimezoneOffset();
    var sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }
  function clock(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : pad(d.getHours()) + cfg.time_sep + pad(d.getMinutes());
  }
  function sameDay(iso) {
    var d = new Date(iso), now = new Date();
    return d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)); // outside a secure context
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function cookie(name) {
    var m = document.cookie.match("(?:^|; )" + name + "=([^;]*)");
    return m ? decodeURIComponent(m[1]) : "";
  }
  function say(text) { status.textContent = text || ""; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // ---- what the page shows ----
  function mine(items) {
    return items.filter(function (i) { return String(i.user_id) === String(cfg.user_id); });
  }
  function render() {
    return Promise.all([all("queue"), all("sent")]).then(function (res) {
      var queue = mine(res[0]);
      var others = res[0].length - queue.length;
      var sent = mine(res[1]).filter(function (i) { return sameDay(i.body.client_time); });
      var server = cfg.today.filter(function (r) {
        return !sent.some(function (i) { return same(i, r); });
      });
      var rows = server.map(function (r) {
        return { kind: r.kind, location: r.location, time: r.client_time, state: "terkirim", flags: r.flags || [] };
      }).concat(sent.map(function (i) {
        return { kind: i.body.kind, location: i.body.location, time: i.body.client_time, state: "terkirim", flags: (i.record && i.record.flags) || [], local: true };
      }), queue.map(function (i) {
        return { kind: i.body.kind, location: i.body.location, time: i.body.client_time, state: i.state, message: i.message, key: i.key, locating: i.locating, local: true };
      }));
      rows.sort(function (a, b) { return Date.parse(a.time) - Date.parse(b.time); });
      list.textContent = "";
      rows.forEach(function (r) { list.appendChild(row(r)); });
      document.getElementById("presensi-kosong").hidden = rows.length > 0;
      var other = document.getElementById("presensi-lain");
      other.hidden = others === 0;
      other.textContent = others ? T.others.replace("%(n)s", others) : "";
      // The server knows an overnight shift still open; a newer check-in on this device wins.
      var last = null;
      rows.forEach(function (r) { if (r.state !== "ditolak") last = r; });
      setKind(last && last.local ? (last.kind === "in" ? "out" : "in") : cfg.next_kind);
      var waiting = queue.filter(function (i) { return i.state === "menunggu"; }).length;
      document.getElementById("presensi-menunggu").textContent = waiting ? T.waiting.replace("%(n)s", waiting) : "";
      return waiting;
    });
  }
  function same(item, record) {
    if (record.key) return record.key === item.key;
    return record.kind === item.body.kind && Date.parse(record.client_time) === Date.parse(item.body.client_time);
  }
  function row(r) {
    var li = el("li", "q-item q-" + r.state);
    li.appendChild(el("span", "q-kind", T.kinds[r.kind] || r.kind));
    li.appendChild(el("span", "q-time", clock(r.time)));
    li.appendChild(el("span", "q-place", T.places[r.location] || r.location));
    var state = el("span", "q-state badge " + ({ menunggu: "warning", terkirim: "ok", ditolak: "error" }[r.state] || ""), T.states[r.state]);
    li.appendChild(state);
    if (r.locating) li.appendChild(el("span", "q-note small muted", T.locating));
    (r.flags || []).forEach(function (f) { li.appendChild(el("span", "q-flag small", T.flags[f] || f)); });
    if (r.message) li.appendChild(el("span", "q-message", r.message));
    if (r.state === "ditolak") {
      var drop = el("button", "small secondary", T.discard);
      drop.type = "button";
      drop.addEventListener("click", function () { remove("queue", r.key).then(render); });
      li.appendChild(drop);
    }
    return li;
  }
  function setKind(kind) {
    button.dataset.kind = kind;
    button.textContent = T.buttons[kind];
  }
  function showNetwork() {
    net.textContent = navigator.onLine ? "" : T.offline;
    net.hidden = navigator.onLine;
  }

  // ---- location: an explicit 10 s bound that never blocks the check-in ----
  function locate() {
    return new Promise(function (resolve) {
      var done = false;
      var timer = setTimeout(function () { finish(null); }, LOCATE_MS);
      function finish(pos) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(pos);
      }
      if (!navigator.geolocation) return finish(null);
      try {
        navigator.geolocation.getCurrentPosition(finish, function () { finish(null); },
          { enableHighAccuracy: true, timeout: LOCATE_MS, maximumAge: 60000 });
      } catch (e) { finish(null); }
    });
  }

  // ---- a press: store first, then locate, then send ----
  function press() {
    if (busy) return; // one at a time: a press while one is in flight does nothing
    busy = true;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    var now = new Date();
    var key = uuid();
    var item = {
      key: key, user_id: cfg.user_id, state: "menunggu", message: "", locating: true, created: now.getTime(),
      body: { kind: button.dataset.kind, location: place.value, client_time: isoLocal(now), idempotency_key: key, note: "" }
    };
    say(T.locating);
    put("queue", item).then(render).then(locate).then(function (pos) {
      item.locating = false;
      if (pos && pos.coords) {
        item.body.latitude = Math.round(pos.coords.latitude * 1e6) / 1e6;
        item.body.longitude = Math.round(pos.coords.longitude * 1e6) / 1e6;
        item.body.accuracy_m = Math.max(0, Math.round(pos.coords.accuracy || 0));
      }
      return put("queue", item);
    }).then(function () {
      say(navigator.onLine ? T.sending : T.queued);
      return flush();
    }).catch(function () { say(T.storageError); }).then(function () {
      busy = false;
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  }

  // ---- sending: one round at a time (and one tab at a time where Web Locks exist) ----
  function flush() {
    if (!flushing) {
      var round = navigator.locks ? navigator.locks.request("fleksi-presensi-kirim", sendAll) : sendAll();
      flushing = round.catch(function () { return null; }).then(function (text) {
        flushing = null;
        return render().then(function () { if (text) say(text); });
      });
    }
    return flushing;
  }
  function sendAll() {
    return all("queue").then(function (items) {
      var now = Date.now();
      var ready = items.filter(function (i) {
        return i.state === "menunggu" && !(i.locating && now - i.created < LOCATE_MS + 5000);
      });
      if (!ready.length) return null;
      return fetch(cfg.me_url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (r.status === 401 || r.status === 403) return { text: T.loginAgain };
          return r.ok ? r.json() : { text: T.serverBusy };
        }, function () { return { text: T.queued }; })
        .then(function (me) {
          if (me.text) return me.text;
          // Only the logged-in user's own check-ins go out under this session (shared phones).
          var own = ready.filter(function (i) { return String(i.user_id) === String(me.id); });
          own.sort(function (a, b) { return a.created - b.created; });
          return sendEach(own, 0, 0);
        });
    });
  }
  function sendEach(items, i, sentCount) {
    if (i >= items.length) return sentCount ? T.sent : null;
    var item = items[i];
    return fetch(cfg.api_url, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      // X-Fleksi-Sent-At: the device's clock now, so the server tells a clock that is off
      // from a check-in that waited in the queue (docs/decisions/111).
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": cookie("csrftoken"), "X-Fleksi-Sent-At": isoLocal(new Date()) },
      body: JSON.stringify(item.body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.status === 200 || r.status === 201) {
          return markSent(item, data).then(function () { return sendEach(items, i + 1, sentCount + 1); });
        }
        if (r.status === 401) return T.loginAgain; // keep waiting: log in again, then it goes
        if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
          item.state = "ditolak";
          item.message = (r.status === 409 ? T.conflict + " " : "") + (data.message || T.rejected);
          return put("queue", item).then(function () { return sendEach(items, i + 1, sentCount); });
        }
        return T.serverBusy; // 5xx, 408, 429: keep it, try again later
      });
    }, function () { return T.queued; }); // no network: keep it
  }

  // ---- logging out (docs/decisions/117) ----
  // The logout form gets device_queue=empty only when nothing at all waits on this device;
  // then the server clears the site's storage too. With unsent check-ins the person is
  // warned; logging out anyway keeps the queue (only the cache is cleared), and it is sent
  // when its owner logs in again.
  function guardLogout(form) {
    var confirmed = false;
    form.addEventListener("submit", function (ev) {
      if (confirmed) return;
      ev.preventDefault();
      all("queue").then(function (items) {
        var waiting = items.filter(function (i) { return i.state !== "terkirim"; });
        if (!waiting.length) {
          var flag = document.createElement("input");
          flag.type = "hidden"; flag.name = "device_queue"; flag.value = "empty";
          form.appendChild(flag);
        } else if (!window.confirm(T.logoutWarn.replace("%(n)s", String(waiting.length)))) {
          return;
        }
        confirmed = true;
        form.submit();
      }, function () { confirmed = true; form.submit(); });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[action='" + cfg.logout_url + "']"), guardLogout);

  // ---- start ----
  button.addEventListener("click", press);
  window.addEventListener("online", function () { showNetwork(); flush(); });
  window.addEventListener("offline", showNetwork);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flush();
  });
  setInterval(function () { if (document.visibilityState === "visible") flush(); }, 30000);
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persisted().then(function (yes) { return yes || navigator.storage.persist(); }).catch(function () {});
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(cfg.sw_url, { scope: cfg.scope }).catch(function () {});
  }
  // Today's log keeps two days at most.
  all("sent").then(function (items) {
    items.forEach(function (i) { if (Date.now() - (i.sent_at || 0) > 2 * 864e5) remove("sent", i.key); });
  }).catch(function () {});
  showNetwork();
  render().then(flush).catch(function () { say(T.storageError); });
  button.disabled = false;
})();
