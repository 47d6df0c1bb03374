// The stepper's static player: plays back a recorded run of the loop with no kernel.
// Every step's HTML was rendered in Python (Stepper.render_player_html) from the trace
// record; this script only picks which one to show. It finds its data in the
// <script type="application/json"> next to it, so a page can hold many players.
(function () {
  var root = document.currentScript.parentElement;
  var data = JSON.parse(root.querySelector("script.mlp-data").textContent);
  var view = root.querySelector(".mlp-view");
  var slider = root.querySelector("input.mlp-slider");
  var n = data.phases.length;
  var index = Number(slider.value);

  function fill(template, values) {
    // A function as replacement: "$" in the HTML must not be read as a pattern.
    return template.replace(/@@(\w+)@@/g, function (_, key) { return values[key]; });
  }

  function show(i) {
    index = Math.max(0, Math.min(n - 1, i));
    slider.value = index;
    var part = data.parts[index];
    view.innerHTML = fill(data.template, {
      STEP: index, PHASE: data.phases[index], HEAD: part[0],
      LEFT: data.sources[data.phases[index]], RIGHT: data.rights[part[1]]
    });
  }

  function nextIteration() {
    for (var j = index + 1; j < n; j++) {
      if (data.iterations[j] > data.iterations[index]) { return show(j); }
    }
    show(n - 1);
  }

  var actions = {
    back: function () { show(index - 1); },
    step: function () { show(index + 1); },
    next: nextIteration,
    end: function () { show(n - 1); },
    reset: function () { show(0); }
  };
  root.querySelectorAll("button[data-act]").forEach(function (button) {
    button.addEventListener("click", function () { actions[button.dataset.act](); });
  });
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  root.querySelector(".mlp-controls").style.display = "block";  // JS runs: show the controls
})();
