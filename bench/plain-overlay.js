// The baseline of bench/many-images.mjs: a plain-JavaScript overlay that does what the widget
// does before anyone taps a photo, the simplest way. Same protocol (GET /v1/posts?ids=, at most
// 50 ids a request), same batching (the images that come within 300 px of the viewport in one
// task are read in one request), same viewport rule; each image gets a dot and a label per
// tag, drawn at once, and is marked data-shoppable-mounted as the widget marks it.
// Not a product: no shadow root, no object-fit, no card, no checkout.
(function () {
  "use strict";
  var api = document.currentScript.dataset.api.replace(/\/$/, "");
  var MAX_BATCH_POSTS = 50;
  var formats = {};
  function price(money) {
    var format = formats[money.currency] || (formats[money.currency] = new Intl.NumberFormat("fr-FR", { style: "currency", currency: money.currency }));
    // Amounts are in minor units; the demo's currencies have two decimals.
    return format.format(money.amount / 100);
  }

  var style = document.createElement("style");
  style.textContent =
    ".po-host{position:absolute;pointer-events:none;z-index:10;font:13px/1.35 system-ui,sans-serif}" +
    ".po-tag{position:absolute;width:44px;height:44px;margin:-22px 0 0 -22px;padding:0;border:0;background:none;pointer-events:auto;cursor:pointer}" +
    ".po-dot{position:absolute;left:10px;top:10px;width:24px;height:24px;border-radius:50%;background:rgba(17,17,17,.78);border:2px solid #fff}" +
    ".po-label{position:absolute;left:38px;top:50%;transform:translateY(-50%);padding:5px 10px;border-radius:8px;" +
    "background:rgba(17,17,17,.78);color:#fff;white-space:nowrap;display:flex;flex-direction:column;text-align:left}";
  document.head.appendChild(style);

  function draw(image, post) {
    var host = document.createElement("div");
    host.className = "po-host";
    post.tags.forEach(function (tag) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "po-tag";
      button.style.left = tag.x * 100 + "%";
      button.style.top = tag.y * 100 + "%";
      var dot = document.createElement("span");
      dot.className = "po-dot";
      var label = document.createElement("span");
      label.className = "po-label";
      var title = document.createElement("b");
      title.textContent = tag.product.title;
      var amount = document.createElement("span");
      amount.textContent = price(tag.product.price);
      label.append(title, amount);
      button.append(dot, label);
      host.appendChild(button);
    });
    image.parentNode.insertBefore(host, image);
    return host;
  }

  // One read of the page's layout for the whole batch, then the writes.
  function place(drawn) {
    var boxes = drawn.map(function (pair) {
      return [pair[0].getBoundingClientRect(), pair[1].getBoundingClientRect()];
    });
    drawn.forEach(function (pair, i) {
      var image = boxes[i][0], host = boxes[i][1];
      pair[1].style.width = image.width + "px";
      pair[1].style.height = image.height + "px";
      pair[1].style.marginLeft = image.left - host.left + "px";
      pair[1].style.marginTop = image.top - host.top + "px";
      pair[0].setAttribute("data-shoppable-mounted", "true");
    });
  }

  function mount(images) {
    var ids = [];
    images.forEach(function (image) {
      var id = image.getAttribute("data-shoppable-post");
      if (ids.indexOf(id) < 0) ids.push(id);
    });
    var requests = [];
    for (var i = 0; i < ids.length; i += MAX_BATCH_POSTS) {
      var query = ids.slice(i, i + MAX_BATCH_POSTS).map(encodeURIComponent).join(",");
      requests.push(fetch(api + "/v1/posts?ids=" + query).then(function (r) { return r.json(); }));
    }
    Promise.all(requests).then(function (batches) {
      var posts = {};
      batches.forEach(function (batch) { batch.posts.forEach(function (post) { posts[post.id] = post; }); });
      var drawn = [];
      images.forEach(function (image) {
        var post = posts[image.getAttribute("data-shoppable-post")];
        if (post) drawn.push([image, draw(image, post)]);
      });
      place(drawn);
    });
  }

  var pending = [];
  var near = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      near.unobserve(entry.target);
      if (!pending.length) Promise.resolve().then(function () { var batch = pending; pending = []; mount(batch); });
      pending.push(entry.target);
    });
  }, { rootMargin: "300px 0px" });
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("img[data-shoppable-post]"), function (image) { near.observe(image); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
