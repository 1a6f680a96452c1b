/*
 * baocao: fold the search query before it reaches Material's search worker, the same
 * way the worker folds the index (see lunr/min/lunr.vi.min.js). The search box keeps
 * what the reader typed; only the message to the worker is folded. On the page a result
 * leads to, the words of the query (?h=...) are marked as written, with diacritics.
 */
(function () {
  "use strict";
  function fold(text) {
    return String(text)
      .normalize("NFC")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }
  var QUERY = 2; /* Material's SearchMessageType.QUERY */
  var Target = window.Worker;
  if (!Target || !Target.prototype || Target.prototype.baocaoFolding) {
    return;
  }
  var post = Target.prototype.postMessage;
  Target.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      var args = Array.prototype.slice.call(arguments);
      args[0] = Object.assign({}, message, { data: fold(message.data) });
      return post.apply(this, args);
    }
    return post.apply(this, arguments);
  };
  Target.prototype.baocaoFolding = true;

  /* Mark the searched words on the page a result leads to. */
  function highlight() {
    var query = new URLSearchParams(window.location.search).get("h");
    var root = document.querySelector("article.md-content__inner");
    if (!query || !root) {
      return;
    }
    var terms = fold(query).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (!terms.length) {
      return;
    }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      nodes.push(walker.currentNode);
    }
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var folded = fold(text).toLowerCase();
      if (folded.length !== text.length || (node.parentNode && node.parentNode.nodeName === "MARK")) {
        return; /* positions would not match; content is NFC, so this is rare */
      }
      var word = /[\p{L}\p{N}]+/gu;
      var ranges = [];
      var match;
      while ((match = word.exec(folded))) {
        var found = match[0];
        if (terms.some(function (term) { return found.indexOf(term) === 0; })) {
          ranges.push([match.index, match.index + found.length]);
        }
      }
      if (!ranges.length) {
        return;
      }
      var fragment = document.createDocumentFragment();
      var last = 0;
      ranges.forEach(function (range) {
        fragment.appendChild(document.createTextNode(text.slice(last, range[0])));
        var mark = document.createElement("mark");
        mark.className = "bc-hit";
        mark.textContent = text.slice(range[0], range[1]);
        fragment.appendChild(mark);
        last = range[1];
      });
      fragment.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(fragment, node);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", highlight);
  } else {
    highlight();
  }
})();
