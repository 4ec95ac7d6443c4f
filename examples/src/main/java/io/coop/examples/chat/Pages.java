package io.coop.examples.chat;

import java.util.Collection;
import java.util.List;

/** The chat's three pages (the tutorial's choose.html, main.html and room.html). */
final class Pages {
    private Pages() {
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String choose() {
        return """
                <!doctype html><html><head><title>coop chat</title></head><body>
                <h1>coop chat</h1>
                <form onsubmit="location.href = '/' + encodeURIComponent(this.uid.value); return false;">
                  Your name: <input name="uid" id="uid" autofocus> <button>Enter</button>
                </form></body></html>
                """;
    }

    static String main(String uid, Collection<String> rooms) {
        StringBuilder links = new StringBuilder();
        for (String r : rooms) {
            links.append("<li><a href=\"/").append(esc(r)).append('/').append(esc(uid)).append("\">").append(esc(r)).append("</a></li>\n");
        }
        return "<!doctype html><html><head><title>coop chat: rooms</title></head><body>\n<h1>Hello, " + esc(uid)
                + "</h1>\n<p>Choose a room:</p>\n<ul>\n" + links + "</ul></body></html>\n";
    }

    static String room(String room, String uid, List<String> backlog) {
        StringBuilder items = new StringBuilder();
        for (String m : backlog) items.append("<li>").append(esc(m)).append("</li>\n");
        String page = """
                <!doctype html><html><head><title>coop chat: ROOM</title></head><body>
                <h1>ROOM</h1>
                <ul id="messages">
                ITEMS</ul>
                <form id="say" onsubmit="say(this.message.value); this.message.value = ''; return false;">
                  <input name="message" id="message" autocomplete="off"> <button>Say</button>
                </form>
                <script>
                const room = ROOM_JS, uid = UID_JS;
                function show(m) {
                  const li = document.createElement('li');
                  li.textContent = m;
                  document.getElementById('messages').appendChild(li);
                }
                function say(text) {
                  return fetch('/put/' + encodeURIComponent(room) + '/' + encodeURIComponent(uid), {
                    method: 'POST',
                    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: 'message=' + encodeURIComponent(text)
                  });
                }
                window.polls = 0;
                async function poll() {
                  while (true) {
                    try {
                      const r = await fetch('/poll/' + encodeURIComponent(uid), {method: 'POST'});
                      const m = await r.json();
                      window.polls++;
                      if (typeof m === 'string') show(m);
                    } catch (e) {
                      await new Promise(ok => setTimeout(ok, 1000));
                    }
                  }
                }
                poll();
                </script></body></html>
                """;
        java.util.Map<String, String> values = java.util.Map.of("ITEMS", items.toString(), "ROOM_JS", ChatServer.json(room),
                "UID_JS", ChatServer.json(uid), "ROOM", esc(room));
        // one pass, so that text a user typed is never taken for a placeholder
        return java.util.regex.Pattern.compile("ROOM_JS|UID_JS|ITEMS|ROOM").matcher(page)
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(values.get(m.group())));
    }
}
