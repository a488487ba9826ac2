// The sandbox's widget pages: one script for the five widget types. It speaks to the host
// through WidgetRpc (widget-rpc.js), with the SDK's event and action names, and to the service
// API with the access token the host hands it on GET_ACCESS_TOKEN.
(function () {
  "use strict";

  var FLOW_RESOURCE = "https://service.flow.microsoft.com/";
  var data = document.body.dataset;
  var query = new URLSearchParams(window.location.search);
  var root = document.getElementById("widget");
  var widgetId = query.get("widgetId");
  var type = data.widgetType;
  var alias = data.pathAlias;
  var env = data.environment || "~default";
  var lang = (data.locale || "en-us").slice(0, 2).toLowerCase();

  var WORDS = {
    en: {
      loading: "Loading…", myFlows: "My flows", sharedFlows: "Shared with me", newFlow: "New flow",
      noFlows: "You have no flows here yet.", noShared: "No flows are shared with you.",
      turnOn: "Turn on", turnOff: "Turn off", remove: "Delete", on: "On", off: "Off",
      search: "Search templates", noTemplates: "No templates match your search.",
      back: "Back", create: "Create flow", createHeader: "Create your flow", created: "Your flow is ready.",
      runHeader: "Run flow", run: "Run flow", running: "Running…", succeeded: "Your flow ran successfully.",
      failed: "Your flow run failed.", done: "Done", cancel: "Cancel", pickFlow: "Choose a flow to run from the page.",
      pickTemplate: "Choose what to create from the page.", received: "Received", sent: "Sent",
      approve: "Approve", reject: "Reject", noApprovals: "No approvals here.", openItem: "Open item",
      requestedBy: "Requested by", pending: "Pending", approved: "Approved", rejected: "Rejected",
      authFailed: "Authentication failed.", error: "Error", correlation: "Correlation id",
      notOpened: "This widget must be opened by the Power Automate SDK.", close: "Close",
      badFilter: "The flows filter could not be read.",
      connection: "Connection", signIn: "Sign in", connectedAs: "Connected as", notConnected: "Sign in to make a connection; the flow uses it.",
      runs: "Run history", noRuns: "This flow has not run yet.", hideRuns: "Hide run history",
      Running: "Running", Succeeded: "Succeeded", Failed: "Failed", Skipped: "Skipped", TimedOut: "Timed out"
    },
    nl: {
      loading: "Laden…", myFlows: "Mijn stromen", sharedFlows: "Gedeeld met mij", newFlow: "Nieuwe stroom",
      noFlows: "Je hebt hier nog geen stromen.", noShared: "Er zijn geen stromen met je gedeeld.",
      turnOn: "Inschakelen", turnOff: "Uitschakelen", remove: "Verwijderen", on: "Aan", off: "Uit",
      search: "Sjablonen zoeken", noTemplates: "Geen sjablonen gevonden.",
      back: "Terug", create: "Stroom maken", createHeader: "Je stroom maken", created: "Je stroom is klaar.",
      runHeader: "Stroom uitvoeren", run: "Stroom uitvoeren", running: "Bezig…", succeeded: "Je stroom is uitgevoerd.",
      failed: "Je stroom is mislukt.", done: "Gereed", cancel: "Annuleren", pickFlow: "Kies op de pagina een stroom om uit te voeren.",
      pickTemplate: "Kies op de pagina wat je wilt maken.", received: "Ontvangen", sent: "Verzonden",
      approve: "Goedkeuren", reject: "Afwijzen", noApprovals: "Hier zijn geen goedkeuringen.", openItem: "Item openen",
      requestedBy: "Aangevraagd door", pending: "In behandeling", approved: "Goedgekeurd", rejected: "Afgewezen",
      authFailed: "Verificatie is mislukt.", error: "Fout", correlation: "Correlatie-id",
      notOpened: "Deze widget moet door de Power Automate SDK worden geopend.", close: "Sluiten",
      badFilter: "Het stroomfilter kon niet worden gelezen.",
      connection: "Verbinding", signIn: "Aanmelden", connectedAs: "Verbonden als", notConnected: "Meld je aan om een verbinding te maken; de stroom gebruikt die.",
      runs: "Uitvoeringsgeschiedenis", noRuns: "Deze stroom is nog niet uitgevoerd.", hideRuns: "Uitvoeringsgeschiedenis verbergen",
      Running: "Bezig", Succeeded: "Geslaagd", Failed: "Mislukt", Skipped: "Overgeslagen", TimedOut: "Time-out"
    }
  };
  var words = WORDS[lang] || WORDS.en;
  // Texts the host may override through GET_STRINGS (FLOW_CREATION_CREATE_BUTTON,
  // FLOW_CREATION_HEADER, INVOKE_FLOW_HEADER, INVOKE_FLOW_RUN_FLOW_BUTTON, ...).
  var strings = {};
  var options = {};
  var token = null;
  var rpc = null;
  var changes = "BroadcastChannel" in window ? new BroadcastChannel("msflow-sandbox") : null;

  function t(key) { return words[key]; }
  function hostText(key, fallback) { return typeof strings[key] === "string" && strings[key] ? strings[key] : fallback; }
  function flag(name) { return query.getAll(name).indexOf("true") >= 0; }

  // Builds an element; `children` are nodes or strings (always text, never HTML).
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "onclick") node.addEventListener("click", attrs[k]);
      else if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  // The runtime and creation widgets can be closed by the user, which tells the host.
  var closable = type === "flowsRuntime" || type === "flowCreation";
  function show() {
    var nodes = Array.prototype.slice.call(arguments).filter(function (n) { return n !== null && n !== undefined; });
    if (closable && rpc) {
      nodes.unshift(el("button", { class: "close", "aria-label": t("close"), onclick: function () { rpc.fire("WIDGET_CLOSE", {}); } }, ["×"]));
    }
    root.replaceChildren.apply(root, nodes);
  }
  function busy(button, promise) {
    button.disabled = true;
    return promise.then(function (v) { button.disabled = false; return v; }, function (e) { button.disabled = false; throw e; });
  }

  function correlationId() {
    return "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, function () { return ((Math.random() * 16) | 0).toString(16); });
  }
  function fail(title, message) {
    show(el("section", { class: "failure", role: "alert" }, [
      el("h1", { text: title }),
      el("p", { text: message }),
      el("p", { class: "muted", text: t("correlation") + ": " + correlationId() })
    ]));
  }
  function authFailed() { fail(t("error"), t("authFailed")); }

  // An optional event: UnlistenedEventCalled (or any error) means "use the defaults", and so
  // does no answer within OPTIONAL_WAIT_MS (a host whose SDK drops the widget's messages).
  var OPTIONAL_WAIT_MS = 2000;
  function optional(method) {
    var answered = rpc.call(method, {}).then(function (r) { return r || {}; }, function () { return {}; });
    var silence = delay(OPTIONAL_WAIT_MS).then(function () { return {}; });
    return Promise.race([answered, silence]);
  }

  function askToken() {
    return rpc.call("GET_ACCESS_TOKEN", { resource: FLOW_RESOURCE }).then(function (reply) {
      if (!reply || typeof reply.token !== "string" || !reply.token) throw { code: "NoToken" };
      token = reply.token;
    });
  }

  // The service API. An expired token is asked for again once, as the real widget does when
  // the host's token runs out while it stays open.
  function api(method, path, body, retried) {
    return fetch(path, {
      method: method,
      headers: Object.assign({ Authorization: "Bearer " + token }, body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      if (res.status === 204) return null;
      return res.json().then(function (json) {
        if (res.ok) return json;
        var error = (json && json.error) || { code: "HttpError", message: "HTTP " + res.status };
        if (res.status === 401 && error.code === "ExpiredAuthenticationToken" && !retried) {
          return askToken().then(function () { return api(method, path, body, true); });
        }
        error.status = res.status;
        throw error;
      });
    });
  }
  function envPath(rest) { return "/_widget-api/environments/" + encodeURIComponent(env) + (rest || ""); }
  function announce() { if (changes) changes.postMessage("changed"); }
  function onChange(reload) { if (changes) changes.addEventListener("message", reload); }

  // Shows an API error inside the widget; authentication errors get the widget's auth page.
  function apiFailed(error) {
    if (error && (error.status === 401 || error.code === "NoToken")) authFailed();
    else fail(t("error"), (error && error.message) || String(error));
  }

  function delay(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // ---- flows ------------------------------------------------------------------------------

  // The host's flowsFilter: from GET_WIDGET_OPTIONS (SDK 2.x), else the URL's
  // encodedFlowsFilter (SDK 1.1: base64 of the text, percent-encoded). null when the URL's
  // value is not base64.
  function flowsFilter() {
    if (typeof options.flowsFilter === "string" && options.flowsFilter) return options.flowsFilter;
    // A "+" the host did not percent-encode arrives as a space; base64 has no spaces.
    var encoded = (query.get("encodedFlowsFilter") || "").replace(/ /g, "+");
    if (!encoded) return "";
    var bytes;
    try { bytes = atob(encoded); } catch (e) { return null; }
    // SDK 1.1 encodes the text's Latin-1 bytes; a host may encode UTF-8 itself.
    try {
      var octets = Uint8Array.from(bytes, function (c) { return c.charCodeAt(0); });
      return new TextDecoder("utf-8", { fatal: true }).decode(octets);
    } catch (e) { return bytes; }
  }

  function flowsWidget() {
    var filter = flowsFilter();
    if (filter === null) {
      fail(t("error"), t("badFilter"));
      return Promise.resolve();
    }
    var tab = alias;
    var list = el("div", { class: "list" });
    function tabs() {
      if (flag("hideTabs")) return null;
      return el("nav", { class: "tabs" }, [["myFlows", t("myFlows")], ["sharedFlows", t("sharedFlows")]].map(function (pair) {
        return el("button", { class: pair[0] === tab ? "tab active" : "tab", "aria-pressed": String(pair[0] === tab), onclick: function () { tab = pair[0]; draw(); } }, [pair[1]]);
      }));
    }
    function newFlow() {
      var blank = query.get("defaultTemplate");
      if (!blank || flag("hideFlowCreation")) return null;
      var button = el("button", { class: "primary" }, ["+ " + t("newFlow")]);
      button.addEventListener("click", function () {
        busy(button, api("POST", envPath("/flows"), { templateName: blank, parameters: {} })).then(function (created) {
          fireCreated(created);
          load();
        }, apiFailed);
      });
      return button;
    }
    function row(f) {
      var p = f.properties;
      var on = p.state === "Started";
      var toggle = el("button", {}, [on ? t("turnOff") : t("turnOn")]);
      toggle.addEventListener("click", function () {
        busy(toggle, api("POST", envPath("/flows/" + f.name + "/state"), { state: on ? "Stopped" : "Started" })).then(load, apiFailed);
      });
      var remove = el("button", { class: "danger" }, [t("remove")]);
      remove.addEventListener("click", function () {
        busy(remove, api("DELETE", envPath("/flows/" + f.name))).then(function () { announce(); load(); }, apiFailed);
      });
      var history = el("div", { class: "runs" });
      var runsButton = el("button", { "aria-expanded": "false" }, [t("runs")]);
      runsButton.addEventListener("click", function () {
        var open = runsButton.getAttribute("aria-expanded") === "true";
        runsButton.setAttribute("aria-expanded", String(!open));
        runsButton.textContent = open ? t("runs") : t("hideRuns");
        if (open) history.replaceChildren();
        else runHistory(f.name, history);
      });
      return el("li", { class: "flow", "data-flow": f.name }, [
        el("a", { href: p.flowUrl, target: "_blank", rel: "noopener" }, [p.displayName]),
        el("span", { class: on ? "state on" : "state off" }, [on ? t("on") : t("off")]),
        el("span", { class: "actions" }, [runsButton, toggle, remove]),
        history
      ]);
    }
    function load() {
      var url = envPath("/flows?tab=" + (tab === "sharedFlows" ? "shared" : "my") + "&filter=" + encodeURIComponent(filter));
      return api("GET", url).then(function (result) {
        var empty = tab === "sharedFlows" ? t("noShared") : t("noFlows");
        list.replaceChildren(result.value.length ? el("ul", { class: "flows" }, result.value.map(row)) : el("p", { class: "muted", text: empty }));
      }, apiFailed);
    }
    function draw() {
      show(el("header", { class: "head" }, [el("h1", { text: tab === "sharedFlows" ? t("sharedFlows") : t("myFlows") }), newFlow()]), tabs(), list);
      return load();
    }
    onChange(load);
    return draw();
  }

  // A flow's runs, newest first, each with its actions' statuses and any error.
  function runHistory(flowName, into) {
    return api("GET", envPath("/flows/" + flowName + "/runs?$expand=properties/actions")).then(function (result) {
      if (!result.value.length) { into.replaceChildren(el("p", { class: "muted", text: t("noRuns") })); return; }
      into.replaceChildren(el("ol", { class: "run-list" }, result.value.map(function (run) {
        var p = run.properties;
        var actions = Object.keys(p.actions || {}).map(function (name) {
          var a = p.actions[name];
          var error = a.error && a.error.message ? ": " + a.error.message : "";
          return el("li", { class: "run-action", "data-action": name, "data-status": a.status }, [name.replace(/_/g, " ") + " · " + (t(a.status) || a.status) + error]);
        });
        return el("li", { class: "run", "data-run": run.name, "data-status": p.status }, [
          el("span", { text: new Date(p.startTime).toLocaleString(lang) + " · " + (t(p.status) || p.status) }),
          actions.length ? el("ul", {}, actions) : null
        ]);
      })));
    }, apiFailed);
  }

  function fireCreated(flow) {
    announce();
    rpc.fire("FLOW_CREATION_SUCCEEDED", {
      flowUrl: flow.properties.flowUrl,
      flowId: flow.name,
      fromTemplate: flow.properties.templateName || undefined
    });
  }

  // The design-time parameters a host passed as `parameters.{name}` (flattened defaultParams).
  function defaultParameters() {
    var params = {};
    query.forEach(function (value, key) { if (key.indexOf("parameters.") === 0) params[key] = value; });
    return params;
  }

  // A template's creation form: its parameters (pre-filled), and the create button.
  function creationForm(template, given, onCreated) {
    var p = template.properties;
    var defaults = p.defaults || {};
    var inputs = p.parameters.map(function (name) {
      var value = given["parameters." + name] || given[name] || defaults[name] || "";
      return { name: name, input: el("input", { id: "param-" + name, name: name, value: value }) };
    });
    var create = el("button", { class: "primary" }, [hostText("FLOW_CREATION_CREATE_BUTTON", t("create"))]);
    var nameInput = flag("allowCustomFlowName") ? el("input", { id: "flow-name", value: hostText("FLOW_CREATION_CUSTOM_FLOW_NAME", p.displayName) }) : null;
    create.addEventListener("click", function () {
      var parameters = {};
      inputs.forEach(function (i) { parameters["parameters." + i.name] = i.input.value; });
      var body = { templateName: template.name, parameters: parameters, displayName: nameInput ? nameInput.value : undefined };
      busy(create, api("POST", envPath("/flows"), body)).then(function (created) {
        fireCreated(created);
        onCreated(created);
      }, function (error) {
        rpc.fire("FLOW_CREATION_FAILED", { templateName: template.name, error: { code: error.code, message: error.message } });
        apiFailed(error);
      });
    });
    var connections = (p.connections || []).map(function (apiName) { return connectionRow(apiName, create); });
    return el("section", { class: "creation" }, [
      el("h1", { text: hostText("FLOW_CREATION_HEADER", t("createHeader")) }),
      el("h2", { text: p.displayName }),
      el("p", { text: p.description }),
      nameInput ? el("label", { for: "flow-name" }, ["Flow name", nameInput]) : null,
      el("div", { class: "params" }, inputs.map(function (i) { return el("label", { for: "param-" + i.name }, [i.name, i.input]); })),
      connections.length ? el("div", { class: "connections" }, connections) : null,
      create
    ]);
  }

  // A connector the flow needs a signed-in connection to: who it is signed in as, or a button
  // that makes a connection and opens its sign-in window. `create` waits until there is one.
  function connectionRow(apiName, create) {
    var row = el("p", { class: "connection", "data-api": apiName, role: "status" });
    var shown = null;
    create.disabled = true;
    // Whether there is a signed-in connection; the row changes only when that does.
    function check() {
      return api("GET", envPath("/connections")).then(function (result) {
        var ready = result.value.filter(function (c) {
          return c.properties.apiId.split("/").pop() === apiName && c.properties.statuses[0].status === "Connected";
        })[0];
        create.disabled = !ready;
        var now = ready ? "ready:" + ready.name : "none";
        if (now === shown) return !!ready;
        shown = now;
        if (ready) {
          row.replaceChildren(el("strong", { text: t("connection") }), " " + t("connectedAs") + " " + ready.properties.displayName);
          return true;
        }
        var signIn = el("button", {}, [t("signIn")]);
        signIn.addEventListener("click", function () {
          // Opened before the request, so the browser treats it as the click's own window.
          var popup = window.open("about:blank", "connection-" + apiName, "width=520,height=640");
          busy(signIn, api("POST", envPath("/connections"), { api: apiName })).then(function (made) {
            if (popup) popup.location.href = made.properties.consentLink;
            else window.open(made.properties.consentLink, "connection-" + apiName, "width=520,height=640");
            waitForSignIn();
          }, function (error) { if (popup) popup.close(); apiFailed(error); });
        });
        row.replaceChildren(el("strong", { text: t("connection") }), " " + t("notConnected") + " ", signIn);
        return false;
      }, apiFailed);
    }
    // The sign-in window is a page of its own site, which a framed widget may not hear from,
    // so the widget looks again until the connection is signed in.
    function waitForSignIn() {
      delay(1000).then(check).then(function (ready) {
        if (!ready && document.body.contains(row)) waitForSignIn();
      });
    }
    onChange(check);
    check();
    return row;
  }

  // ---- templates --------------------------------------------------------------------------

  function templatesWidget() {
    var pageSize = parseInt(query.get("pageSize") || "6", 10) || 6;
    var category = query.get("category") || "";
    var term = query.get("q") || "";
    var given = defaultParameters();
    var box = el("input", { type: "search", "aria-label": t("search"), placeholder: t("search"), value: term });
    var list = el("div", { class: "list" });
    function details(template) {
      show(el("button", { class: "link", onclick: draw }, ["← " + t("back")]), creationForm(template, given, function () {
        show(el("p", { class: "done", role: "status", text: t("created") }), el("button", { onclick: draw }, [t("back")]));
      }));
    }
    function load() {
      var url = envPath("/templates?q=" + encodeURIComponent(box.value) + "&category=" + encodeURIComponent(category) + "&top=" + pageSize);
      return api("GET", url).then(function (result) {
        list.replaceChildren(result.value.length ? el("ul", { class: "templates" }, result.value.map(function (tpl) {
          return el("li", {}, [el("button", { class: "card", "data-template": tpl.name, onclick: function () { details(tpl); } }, [
            el("strong", { text: tpl.properties.displayName }), el("span", { class: "muted", text: tpl.properties.description })
          ])]);
        })) : el("p", { class: "muted", text: t("noTemplates") }));
      }, apiFailed);
    }
    function draw() {
      show(el("form", { class: "search", role: "search" }, [box]), list);
      return load();
    }
    box.addEventListener("input", function () { load(); });
    return draw();
  }

  // ---- flowCreation ------------------------------------------------------------------------

  function flowCreationWidget() {
    show(el("p", { class: "muted", text: t("pickTemplate") }));
    rpc.handle("NOTIFY", action({
      createflowfromtemplate: function (d) {
        d = d || {};
        return api("GET", envPath("/templates/" + encodeURIComponent(d.templateName || ""))).then(function (template) {
          show(creationForm(template, d.designTimeParameters || {}, function () {
            show(el("p", { class: "done", role: "status", text: t("created") }));
          }));
          return { templateName: template.name };
        }, function (error) {
          rpc.fire("TEMPLATE_LOAD_FAILED", { templateName: d.templateName, error: { code: error.code, message: error.message } });
          throw { code: error.code || "TemplateLoadFailed", message: error.message };
        });
      },
      closewidget: closeWidget
    }));
    return Promise.resolve();
  }

  function closeWidget() {
    rpc.fire("WIDGET_CLOSE", {});
    return {};
  }

  // NOTIFY handler over a table of lower-cased action names (the docs and the SDK's
  // constants differ in case, so the real widget must ignore it).
  function action(table) {
    return function (param) {
      var request = (param && param.data) || {};
      var name = String(request.actionName || "").toLowerCase();
      if (!table[name]) throw { code: "UnknownAction", message: "The action '" + request.actionName + "' is not supported by this widget." };
      return table[name](request.actionData);
    };
  }

  // ---- flowsRuntime ------------------------------------------------------------------------

  function runtimeWidget() {
    function idle() { show(el("p", { class: "muted", text: t("pickFlow") })); }
    function summary(implicitData) {
      try {
        var item = JSON.parse(implicitData || "null");
        return item && item.title ? el("p", { class: "item" }, [item.title]) : null;
      } catch (e) { return null; }
    }
    function runPanel(flow, implicitData) {
      var run = el("button", { class: "primary" }, [hostText("INVOKE_FLOW_RUN_FLOW_BUTTON", t("run"))]);
      var cancel = el("button", { onclick: function () { rpc.fire("RUN_FLOW_CANCEL_BUTTON_CLICKED", { flowName: flow.name }); idle(); } }, [t("cancel")]);
      var status = el("p", { role: "status", class: "muted" });
      run.addEventListener("click", function () {
        run.disabled = true;
        api("POST", envPath("/flows/" + flow.name + "/runs"), { implicitData: implicitData }).then(function (started) {
          status.textContent = t("running");
          rpc.fire("RUN_FLOW_STARTED", { flowName: flow.name, runId: started.name });
          return poll(flow.name, started.name);
        }).then(function (finished) {
          var ok = finished.properties.status === "Succeeded";
          announce();
          rpc.fire("RUN_FLOW_COMPLETED", { flowName: flow.name, runId: finished.name, status: finished.properties.status });
          show(el("p", { class: ok ? "done" : "failure", role: "status", text: ok ? t("succeeded") : t("failed") }),
            el("button", { class: "primary", onclick: function () { rpc.fire("RUN_FLOW_DONE_BUTTON_CLICKED", { flowName: flow.name, runId: finished.name }); idle(); } }, [t("done")]));
        }).catch(apiFailed);
      });
      show(el("h1", { text: hostText("INVOKE_FLOW_HEADER", t("runHeader")) }), el("h2", { text: flow.properties.displayName }), summary(implicitData), status, el("p", { class: "buttons" }, [run, cancel]));
    }
    function poll(flowName, runName) {
      return delay(250).then(function () {
        return api("GET", envPath("/flows/" + flowName + "/runs/" + runName));
      }).then(function (run) {
        return run.properties.status === "Running" ? poll(flowName, runName) : run;
      });
    }
    function sameParameters(flow, wanted) {
      return Object.keys(wanted || {}).every(function (k) {
        return String(flow.properties.parameters[k.replace(/^parameters\./, "")]) === String(wanted[k]);
      });
    }
    idle();
    rpc.handle("NOTIFY", action({
      triggerflow: function (d) {
        d = d || {};
        return api("GET", envPath("/flows/" + encodeURIComponent(d.flowName || ""))).then(function (flow) {
          runPanel(flow, d.implicitData);
          return { flowName: flow.name };
        }, function (error) { throw { code: error.code, message: error.message }; });
      },
      triggerflowbytemplate: function (d) {
        d = d || {};
        return Promise.all([
          api("GET", envPath("/templates/" + encodeURIComponent(d.templateId || ""))),
          api("GET", envPath("/flows?tab=my"))
        ]).then(function (found) {
          var template = found[0];
          var existing = found[1].value.filter(function (f) {
            return f.properties.templateName === template.name && f.properties.state === "Started" && sameParameters(f, d.designTimeParameters);
          })[0];
          if (existing) runPanel(existing, d.implicitData);
          else show(creationForm(template, d.designTimeParameters || {}, function (created) { runPanel(created, d.implicitData); }));
          return { templateId: template.name, flowName: existing ? existing.name : null };
        }, function (error) { throw { code: error.code, message: error.message }; });
      },
      gettriggerschema: function (d) {
        return { schema: { type: "object", properties: { implicitData: { type: "string" } } }, flowName: (d || {}).flowName };
      },
      closewidget: function () { idle(); return closeWidget(); }
    }));
    return Promise.resolve();
  }

  // ---- approvalCenter ----------------------------------------------------------------------

  function approvalsWidget() {
    var tab = alias;
    var filter = query.get("approvalsFilter") || "";
    var hideLink = flag("hideLink");
    var seen = null; // approval name → status, once the first list has loaded
    var list = el("div", { class: "list" });
    function label(status) { return t(status.toLowerCase()); }
    function row(a, sent) {
      var p = a.properties;
      var buttons = null;
      if (!sent && p.status === "Pending") {
        buttons = el("span", { class: "actions" }, ["Approve", "Reject"].map(function (outcome) {
          var b = el("button", { class: outcome === "Approve" ? "primary" : "danger" }, [outcome === "Approve" ? t("approve") : t("reject")]);
          b.addEventListener("click", function () {
            busy(b, api("POST", envPath("/approvals/" + a.name + "/respond"), { outcome: outcome })).then(function () { announce(); load(); }, apiFailed);
          });
          return b;
        }));
      }
      return el("li", { class: "approval", "data-approval": a.name }, [
        el("strong", { text: p.title }),
        el("span", { class: "muted", text: t("requestedBy") + " " + ((p.requester && p.requester.displayName) || "") }),
        hideLink || !p.itemLink ? null : el("a", { href: p.itemLink, target: "_top" }, [t("openItem")]),
        el("span", { class: "status status-" + p.status.toLowerCase() }, [label(p.status)]),
        buttons
      ]);
    }
    // Tells the host about every approval whose status changed, or that appeared, since the
    // first list.
    function report(value, sent) {
      var next = {};
      value.forEach(function (a) {
        next[a.name] = a.properties.status;
        if (seen && seen[a.name] !== a.properties.status) {
          rpc.fire(sent ? "SENT_APPROVAL_STATUS_CHANGED" : "RECEIVED_APPROVAL_STATUS_CHANGED", {
            approvalId: a.name, status: a.properties.status, title: a.properties.title, itemLink: a.properties.itemLink
          });
        }
      });
      seen = next;
    }
    function load() {
      var sent = tab === "sentApprovals";
      var url = envPath("/approvals?tab=" + (sent ? "sent" : "received") + "&filter=" + encodeURIComponent(filter));
      return api("GET", url).then(function (result) {
        report(result.value, sent);
        list.replaceChildren(result.value.length ? el("ul", { class: "approvals" }, result.value.map(function (a) { return row(a, sent); })) : el("p", { class: "muted", text: t("noApprovals") }));
      }, apiFailed);
    }
    function tabs() {
      if (flag("hideTabs")) return null;
      return el("nav", { class: "tabs" }, [["receivedApprovals", t("received")], ["sentApprovals", t("sent")]].map(function (pair) {
        return el("button", { class: pair[0] === tab ? "tab active" : "tab", "aria-pressed": String(pair[0] === tab), onclick: function () { tab = pair[0]; seen = null; draw(); } }, [pair[1]]);
      }));
    }
    function draw() {
      show(tabs(), list);
      return load();
    }
    rpc.handle("NOTIFY", action({ closeinfopane: function () { return {}; } }));
    onChange(load);
    // Approvals arrive from runs anywhere, so the list looks again now and then.
    setInterval(function () { if (!document.hidden) load(); }, 3000);
    return draw();
  }

  var WIDGETS = {
    flows: flowsWidget,
    templates: templatesWidget,
    flowCreation: flowCreationWidget,
    flowsRuntime: runtimeWidget,
    approvalCenter: approvalsWidget
  };

  // ---- start --------------------------------------------------------------------------------

  if (!widgetId) {
    fail(t("error"), t("notOpened"));
    return;
  }
  // As when the browser blocks the widget's cookies and storage: it never gets going.
  if (data.silent === "true") return;

  rpc = new WidgetRpc(widgetId);
  rpc.connect()
    .then(function () {
      if (!flag("allowOptionalEvents")) return;
      return Promise.all([optional("GET_STRINGS"), optional("GET_WIDGET_OPTIONS")]).then(function (r) {
        strings = r[0];
        options = r[1];
      });
    })
    .then(function () {
      return askToken().then(function () { return api("GET", envPath("")); }).then(null, function (error) {
        if (error && error.code === "EnvironmentAccessDenied") throw error;
        throw { auth: true };
      });
    })
    .then(function () { return delay(parseInt(data.readyDelay || "0", 10) || 0); })
    .then(function () {
      return WIDGETS[type]();
    })
    .then(function () {
      rpc.fire("WIDGET_READY", { widgetType: type });
      rpc.fire("WIDGET_RENDERED", { widgetType: type });
    })
    .catch(function (error) {
      if (error && error.auth) authFailed();
      else apiFailed(error);
    });
})();
