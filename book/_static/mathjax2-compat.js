// The ipywidgets HTML manager typesets widget labels with MathJax 2's API,
// MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the book loads MathJax 3,
// which has no Hub, so that call would throw. Translate it to MathJax 3's typesetPromise.
// Loaded with `defer` after MathJax itself (see book/conf.py), before widgets render.
(function () {
  var mathjax = window.MathJax;
  if (!mathjax || mathjax.Hub) {
    return;
  }
  mathjax.Hub = {
    Queue: function (command) {
      var element = command[2];
      var ready = mathjax.startup ? mathjax.startup.promise : Promise.resolve();
      ready.then(function () {
        return mathjax.typesetPromise([element]);
      });
    },
  };
})();
