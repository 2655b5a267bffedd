/* The training video player and its watch tracking (PRODUCT.md §3: the client reports watched
   intervals, the server merges them and completes the module at 95% coverage).

   Only contiguous playback counts: an interval runs from where playback (re)started to the last
   position reached without a jump, so seeking ahead adds nothing to it. Intervals are sent every
   few seconds while playing, on pause, at the end and when the page is hidden; the server's
   answer ({"completed", "progress"}) updates the module's state line.

   A module without a video file plays in the built-in lesson player: a slideshow of the module's
   text that advances one second at a time and fires the same events as a <video> element, so
   the one tracker serves both. */
(function () {
  "use strict";

  const root = document.getElementById("player");
  if (!root) return;
  const duration = Number(root.dataset.duration);
  const statusLine = document.getElementById("module-status");
  const speed = document.getElementById("player-speed");
  const SEND_EVERY_MS = 5000;

  function clock(seconds) {
    const s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  class LessonMedia extends EventTarget {
    constructor(length) {
      super();
      this.duration = length;
      this.currentTime = 0;
      this.paused = true;
      this.playbackRate = 1;
      this.timer = null;
    }
    emit(type) { this.dispatchEvent(new Event(type)); }
    play() {
      if (!this.paused) return;
      if (this.currentTime >= this.duration) this.seek(0);
      this.paused = false;
      this.emit("play");
      this.schedule();
    }
    pause() {
      if (this.paused) return;
      this.paused = true;
      clearTimeout(this.timer);
      this.emit("pause");
    }
    schedule() {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.tick(), 1000 / this.playbackRate);
    }
    tick() {
      if (this.paused) return;
      this.currentTime = Math.min(this.duration, this.currentTime + 1);
      this.emit("timeupdate");
      if (this.currentTime >= this.duration) {
        this.paused = true;
        this.emit("pause");
        this.emit("ended");
      } else {
        this.schedule();
      }
    }
    seek(position) {
      // "seeking" fires before the position changes, as a <video> does: the tracker closes the
      // interval at the last position really played.
      this.emit("seeking");
      this.currentTime = Math.max(0, Math.min(this.duration, Math.round(position)));
      this.emit("timeupdate");
      this.emit("seeked");
    }
    setRate(rate) {
      this.playbackRate = rate;
      if (!this.paused) this.schedule();
    }
  }

  class WatchTracker {
    constructor(media, url, csrf) {
      this.media = media;
      this.url = url;
      this.csrf = csrf;
      this.start = null;
      this.last = null;
      this.closed = [];
      this.sending = false;
      this.again = false;
      media.addEventListener("play", () => this.begin());
      media.addEventListener("timeupdate", () => this.update());
      media.addEventListener("seeking", () => this.close());
      media.addEventListener("pause", () => { this.close(); this.flush(); });
      media.addEventListener("ended", () => { this.close(); this.flush(); });
    }
    begin() {
      if (this.start === null) this.start = this.last = this.media.currentTime;
    }
    update() {
      if (this.media.paused) return;
      const position = this.media.currentTime;
      if (this.start === null) {
        this.start = this.last = position;
        return;
      }
      // Playback moves forward by about its rate per second of wall time; timeupdate fires a few
      // times a second (less in a background tab). A larger step is a jump, never watched.
      const step = position - this.last;
      if (step >= 0 && step <= 1 + 1.5 * this.media.playbackRate) {
        this.last = position;
      } else {
        this.close();
        this.start = this.last = position;
      }
    }
    close() {
      if (this.start !== null && this.last > this.start) this.closed.push([this.start, this.last]);
      this.start = this.last = null;
    }
    pending() {
      const intervals = this.closed.slice();
      if (this.start !== null && this.last > this.start) intervals.push([this.start, this.last]);
      return intervals.map(([a, b]) => [Math.round(a * 1000) / 1000, Math.round(b * 1000) / 1000]);
    }
    flush(keepalive = false) {
      const intervals = this.pending();
      if (!intervals.length) return;
      if (this.sending && !keepalive) {
        this.again = true;
        return;
      }
      const sentClosed = this.closed.length;
      this.sending = true;
      fetch(this.url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: keepalive,
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": this.csrf,
        },
        body: JSON.stringify({ watched: intervals }),
      })
        .then((response) => response.json().then((body) => ({ ok: response.ok, body: body })))
        .then(({ ok, body }) => {
          if (ok) {
            // The server keeps what it merged; only intervals closed later remain to send.
            this.closed.splice(0, sentClosed);
            showState(body.completed, body.progress);
          } else {
            showError(body.detail || "The server refused the progress report.");
          }
        })
        .catch(() => showError("Could not reach Refairn; what you watched will be sent again."))
        .finally(() => {
          this.sending = false;
          if (this.again) {
            this.again = false;
            this.flush();
          }
        });
    }
  }

  function showState(completed, progress) {
    statusLine.replaceChildren();
    const strong = document.createElement("strong");
    if (completed) {
      strong.className = "status-ok";
      strong.textContent = "✓ Completed";
      statusLine.append(strong);
    } else {
      strong.textContent = progress + "%";
      statusLine.append("Progress: ", strong);
    }
  }

  function showError(message) {
    statusLine.replaceChildren();
    const error = document.createElement("span");
    error.className = "error";
    error.textContent = message;
    statusLine.append(error);
  }

  function lessonPlayer() {
    const slides = JSON.parse(document.getElementById("lesson-slides").textContent);
    const lesson = new LessonMedia(duration);
    const play = document.getElementById("lesson-play");
    const seek = document.getElementById("lesson-seek");
    const time = document.getElementById("lesson-time");
    const count = document.getElementById("lesson-count");
    const text = document.getElementById("lesson-text");
    let shown = 0;

    function render() {
      const index = Math.min(slides.length - 1, Math.floor(lesson.currentTime * slides.length / duration));
      if (index !== shown) {
        shown = index;
        text.textContent = slides[index];
      }
      count.textContent = "Slide " + (index + 1) + " of " + slides.length;
      seek.value = String(lesson.currentTime);
      const position = clock(lesson.currentTime) + " / " + clock(duration);
      time.textContent = position;
      seek.setAttribute("aria-valuetext", position);
      const ended = lesson.currentTime >= duration;
      play.textContent = lesson.paused ? (ended ? "Replay" : "Play") : "Pause";
    }

    ["play", "pause", "timeupdate", "ended"].forEach((type) => lesson.addEventListener(type, render));
    play.addEventListener("click", () => (lesson.paused ? lesson.play() : lesson.pause()));
    seek.addEventListener("input", () => lesson.seek(Number(seek.value)));
    play.disabled = false;
    seek.disabled = false;
    render();
    return lesson;
  }

  const video = document.getElementById("player-media");
  const media = video || lessonPlayer();
  const tracker = new WatchTracker(media, root.dataset.progressUrl, root.dataset.csrf);

  function applySpeed() {
    const rate = Number(speed.value);
    if (video) video.playbackRate = rate;
    else media.setRate(rate);
  }
  // The select may hold a choice already: made before this script ran, or restored by the browser.
  applySpeed();
  speed.addEventListener("change", applySpeed);
  setInterval(() => { if (!media.paused) tracker.flush(); }, SEND_EVERY_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") tracker.flush(true);
  });
  window.addEventListener("pagehide", () => tracker.flush(true));
})();
