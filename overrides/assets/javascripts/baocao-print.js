// Printing. Bound here, not inline, so that pages work under a Content-Security-Policy
// without 'unsafe-inline'.

// The report toolbar's print button.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".bc-print");
  if (button) {
    window.print();
  }
});

// In the page's text, before it is printed:
// A document number (51-CT/TW, 282-CV/BTCTU, 1-BTCTW) never breaks at its hyphen: each one
// in the page's text is wrapped in <span class="bc-docno"> (white-space: nowrap). The rule
// is the Word file's (export/docx_markdown.py, DOCUMENT_NUMBER_HYPHEN): a hyphen between
// a digit and a capital letter. Only text nodes are touched, never markup.
(function () {
  var NUMBER = /\d+-[A-ZĐ][A-ZĐ0-9]*(?:\/[A-ZĐ][A-ZĐ0-9]*)*/g;
  var SKIP = { SCRIPT: 1, STYLE: 1, TEXTAREA: 1, CODE: 1, PRE: 1 };

  function wrapNumbers(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        for (var el = node.parentNode; el && el !== root; el = el.parentNode) {
          if (SKIP[el.nodeName] || (el.classList && el.classList.contains("bc-docno"))) {
            return NodeFilter.FILTER_REJECT;
          }
        }
        NUMBER.lastIndex = 0;
        return NUMBER.test(node.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      }
    });
    var found = [];
    while (walker.nextNode()) {
      found.push(walker.currentNode);
    }
    found.forEach(function (node) {
      var text = node.data;
      var pieces = document.createDocumentFragment();
      var last = 0;
      var match;
      NUMBER.lastIndex = 0;
      while ((match = NUMBER.exec(text)) !== null) {
        pieces.appendChild(document.createTextNode(text.slice(last, match.index)));
        var span = document.createElement("span");
        span.className = "bc-docno";
        span.textContent = match[0];
        pieces.appendChild(span);
        last = match.index + match[0].length;
      }
      pieces.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(pieces, node);
    });
  }

  // A label, a one-item list ending with a colon ("- Kết quả đạt được:"), is printed with
  // the text after it (the Word file's rule: export/docx_markdown.py, is_label).
  function markLabels(root) {
    root.querySelectorAll("ul, ol").forEach(function (list) {
      var items = list.querySelectorAll(":scope > li");
      if (items.length === 1 && /:$/.test(items[0].textContent.trim())) {
        list.classList.add("bc-label");
      }
    });
  }

  function run() {
    document.querySelectorAll(".md-content .md-typeset").forEach(function (root) {
      wrapNumbers(root);
      markLabels(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
