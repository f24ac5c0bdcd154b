/* The kiosk's service worker: keeps the kiosk page and its assets so the kiosk opens and
   works with no connection. Network first (so a changed page or a switched-off link shows when
   online), the last good copy when offline. Answers are not sent from here: the page does that. */
"use strict";

var CACHE = "engage-kiosk-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  event.respondWith(
    fetch(request)
      .then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) {
            cache.put(request, copy);
          });
        }
        return response;
      })
      .catch(function () {
        return caches.match(request, { ignoreSearch: true }).then(function (hit) {
          return hit || Response.error();
        });
      })
  );
});
