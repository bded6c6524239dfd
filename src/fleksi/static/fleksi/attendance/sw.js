/* Fleksi presensi service worker (scope /presensi/; docs/decisions/121).
 *
 * Served by the view at /presensi/sw.js, which puts VERSION, PAGE and SHELL (the page and
 * its hashed assets) in front of this file. The page is fetched network first (4 s, then the
 * cached copy); assets come from the cache. Check-ins never pass through here: the page's
 * queue in IndexedDB sends them (POSTs are not intercepted).
 */
/* global VERSION, PAGE, SHELL */
"use strict";
var CACHE = "fleksi-presensi-" + VERSION;
var WAIT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(SHELL).then(function () {
        // The page of the person logged in now (the session's cookie goes with it); a
        // redirect to the login page is not kept.
        return fetch(PAGE, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(PAGE, response);
        }).catch(function () {});
      });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.indexOf("fleksi-presensi-") === 0 && k !== CACHE;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isPage(url) {
  return url.origin === self.location.origin && url.pathname === PAGE;
}

function pageFromNetwork(request) {
  return fetch(request).then(function (response) {
    return caches.open(CACHE).then(function (cache) {
      if (response.ok && !response.redirected && response.type === "basic") {
        cache.put(PAGE, response.clone());
      } else if (response.redirected || response.status === 403 || response.status === 404) {
        cache.delete(PAGE); // logged out (or no longer an employee): forget the last person's page
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isPage(url) && request.mode === "navigate") {
    var network = pageFromNetwork(request);
    event.respondWith(new Promise(function (resolve, reject) {
      var settled = false;
      function fromCache() {
        return caches.match(PAGE).then(function (hit) {
          if (hit && !settled) { settled = true; resolve(hit); }
          return hit;
        });
      }
      var timer = setTimeout(fromCache, WAIT_MS); // a slow network: show the copy, keep fetching
      network.then(function (response) {
        clearTimeout(timer);
        if (!settled) { settled = true; resolve(response); }
      }, function () {
        clearTimeout(timer);
        fromCache().then(function (hit) {
          if (!hit && !settled) reject(new Error("offline and no copy"));
        });
      });
    }));
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
        }
        return response;
      });
    }));
  }
});
