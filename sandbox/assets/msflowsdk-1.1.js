/*
 * Flowhost sandbox: host-side flow widget SDK (stand-in for
 * {host}/Content/msflowsdk-1.1.js). Microsoft shipped two generations at that
 * path, the original 1.1 bundle and the 2.x bundle (2.2.0); this script
 * behaves like either, as the sandbox's SDK setting says when it serves it.
 *
 * Written from the SDK's documented API and its observed behaviour; it
 * contains no Microsoft code. Several behaviours below look like bugs on
 * purpose: hosts written against the real script must see the same thing here.
 * Classic script, ES2019, no dependencies.
 */
(function (window, document) {
  'use strict';

  // Filled in by the sandbox when it serves the script: its own origin, the
  // generation to behave as ('2.2' or '1.1'), and the real host its origin
  // stands for ('maker': make.powerautomate.com, 'classic': flow.microsoft.com).
  var SANDBOX = { origin: '__SANDBOX_ORIGIN__', sdk: '__SANDBOX_SDK__', host: '__SANDBOX_HOST__' };

  var PING = '__PING__';
  var PONG = '__PONG__';
  var NOTIFY = 'NOTIFY';

  var CLASSIC_PORTAL_DOMAINS = [
    'flow.microsoft.com',
    'flow.microsoft.us',
    'flow.appsplatform.us',
    'www.powerautomate.cn',
    'portal.flow.eaglex.ic.gov',
    'portal.flow.microsoft.scloud'
  ];

  var MAKER_PORTAL_DOMAINS = [
    'powerautomate.com',
    'gov.powerautomate.us',
    'high.powerautomate.us',
    'make.powerautomate.cn',
    'powerautomate.appsplatform.us',
    'preview.powerautomate.com',
    'preprod.powerautomate.com',
    'powerautomate.eaglex.ic.gov',
    'powerautomate.microsoft.scloud'
  ];

  // ---------------------------------------------------------------------------
  // What sets the two generations apart. `extended` stands for everything the
  // 2.x bundle added on top of 1.1: utm_locale/utm_platform/utm_version and
  // sessionId, the {solution}/{flowName}/{runId} placeholders and flowName,
  // flowNewSettings, the later flows and templates settings,
  // hideEditAdvancedModeButton, prompt, "v1/" flow names, three hostId rules,
  // the WidgetHostAction and WidgetNotifyActions globals, its own
  // GET_WIDGET_OPTIONS and connection-wizard listeners, and errors with a stack.

  var GENERATIONS = {
    '2.2': {
      version: '2.2.0',
      extended: true,
      widgetTypes: null, // null: every one of the list below
      oAuthHandlers: null,
      hostIds: null,
      // Trailing slash: the real portal redirects /templates otherwise.
      templatesPath: '/templates/',
      // Hosts whose approvals page is approvalcenter/ rather than approvals/.
      makerHosts: MAKER_PORTAL_DOMAINS.concat(SANDBOX.host === 'maker' ? [SANDBOX.origin] : []),
      // Widget origins it accepts messages from: classic and maker hosts alike.
      allowedDomains: CLASSIC_PORTAL_DOMAINS.concat(MAKER_PORTAL_DOMAINS, [SANDBOX.origin]),
      debugDomains: ['flows.azure-test.net', 'local.flow.microsoft.com:44300'],
      skipsNilDynamicParams: true,
      flowsFilterInUrl: false, // handed over through GET_WIDGET_OPTIONS instead
      iframe: { tabIndex: null, defaultTitle: 'Microsoft Power Automate', role: 'presentation' }
    },
    '1.1': {
      version: '1.1',
      extended: false,
      widgetTypes: ['approvalCenter', 'flowCreation', 'flowsRuntime', 'flows', 'templates'],
      oAuthHandlers: ['oAuth', 'teamsOAuth', 'widgetOAuth'],
      hostIds: ['DYNAMICS_CRM', 'DYNAMICS_NAV', 'EXCEL', 'IOT', 'LOGICAPPS', 'OUTLOOKWEB', 'POWERAPPS',
        'SHAREPOINT', 'STAFFHUB', 'TEAMS', 'TREASURY', 'WIDGETTEST', 'UNSPECIFIED'],
      templatesPath: '/templates',
      makerHosts: [],
      // Classic hosts only: make.powerautomate.com is refused, and so is the
      // sandbox's origin unless it stands for flow.microsoft.com.
      allowedDomains: ['flow.microsoft.com', 'flow.microsoft.us'].concat(SANDBOX.host === 'classic' ? [SANDBOX.origin] : []),
      debugDomains: ['flows.azure-test.net'],
      skipsNilDynamicParams: false, // sent as the strings "null" and "undefined"
      flowsFilterInUrl: true, // as encodedFlowsFilter
      iframe: { tabIndex: '0', defaultTitle: null, role: null }
    }
  };

  var GEN = GENERATIONS[SANDBOX.sdk] || GENERATIONS['2.2'];

  // The entries of `object` whose keys are listed (all of them for null), in
  // the object's own order.
  function only(object, keys) {
    if (!keys) {
      return object;
    }
    var kept = {};
    Object.keys(object).forEach(function (key) {
      if (keys.indexOf(key) >= 0) {
        kept[key] = object[key];
      }
    });
    return kept;
  }

  // ---------------------------------------------------------------------------
  // Public constants (key order matters to hosts that enumerate them)

  var WidgetTypes = only({
    approvalCenter: 'approvalCenter',
    bpfActionCenter: 'bpfActionCenter',
    connectionWizard: 'connectionWizard',
    copilotPlugins: 'copilotPlugins',
    flowCreation: 'flowCreation',
    flowDetails: 'flowDetails',
    flowEdit: 'flowEdit',
    flowNew: 'flowNew',
    flowRunDetails: 'flowRunDetails',
    flowsRuntime: 'flowsRuntime',
    flows: 'flows',
    naturalLanguageToFlowWizard: 'naturalLanguageToFlowWizard',
    templates: 'templates'
  }, GEN.widgetTypes);

  var OAuthHandlers = only({
    oAuth: 'oAuth',
    teamsOAuth: 'teamsOAuth',
    widgetOAuth: 'widgetOAuth',
    mobileWidgetOAuth: 'mobileWidgetOAuth'
  }, GEN.oAuthHandlers);

  var WellKnownHostIds = only({
    DYNAMICS_CRM: 'DynCRM',
    DYNAMICS_NAV: 'DynNAV',
    EXCEL: 'Excel',
    IOT: 'IOT',
    LOGICAPPS: 'LogicApps',
    OUTLOOKWEB: 'OWA',
    POWERAPPS: 'PowerApps',
    POWERAPPSMAKER: 'PowerAppsMaker',
    POWERAPPSSTUDIO: 'PowerappsPpux',
    POWERFLOWADDIN: 'PowerFlowAddin',
    POWERVIRTUALAGENTS: 'PowerVirtualAgents',
    SHAREPOINT: 'SPO',
    STAFFHUB: 'StaffHub',
    TEAMS: 'Teams',
    TEAMSSOLUTIONEXPLORER: 'TeamsSolutionExplorer',
    TREASURY: 'Treasury',
    WIDGETTEST: 'WidgetTest',
    ADOBE_SIGN: 'AdobeSign',
    MSCC: 'MicrosoftSupplyChainCenter',
    UNSPECIFIED: 'Unknown'
  }, GEN.hostIds);

  var WidgetNotifyActions = {
    CloseInfoPane: 'closeInfoPane',
    CloseWidget: 'closeWidget',
    ConnectionsConfirmed: 'connectionsConfirmed',
    CreateFlowFromTemplate: 'createFlowFromTemplate',
    CreateFlowFromTemplateDefinition: 'createFlowFromTemplateDefinition',
    TriggerFlow: 'triggerflow',
    TriggerFlowByTemplate: 'triggerflowbytemplate',
    GetTriggerSchema: 'gettriggerschema',
    RefreshConnections: 'refreshconnections',
    RefreshApis: 'refreshapis',
    UserSelectionUpdated: 'userselectionupdated',
    ShowAlertBanner: 'showalertbanner'
  };

  var WidgetHostAction = {
    EXECUTE_TEAMS_DEEP_LINK: 'EXECUTE_TEAMS_DEEP_LINK',
    FLOW_CREATION_FAILED: 'FLOW_CREATION_FAILED',
    FLOW_CREATION_SUCCEEDED: 'FLOW_CREATION_SUCCEEDED',
    FLOW_INSTALL_FAILED: 'FLOW_INSTALL_FAILED',
    FLOW_INSTALL_SUCCEEDED: 'FLOW_INSTALL_SUCCEEDED',
    GET_ACCESS_TOKEN: 'GET_ACCESS_TOKEN',
    GET_IMPLICIT_DATA: 'GET_IMPLICIT_DATA',
    GET_STRINGS: 'GET_STRINGS',
    SIDE_PANE_VISIBILITY_SET: 'SIDE_PANE_VISIBILITY_SET',
    LAUNCH_OAUTH_POPUP: 'LAUNCH_OAUTH_POPUP',
    ON_ADD_CONNECTION_CLICKED: 'ON_ADD_CONNECTION_CLICKED',
    // The key has an underscore the wire value lacks; both are as shipped.
    ON_DELETE_CUSTOM_API_CLICKED: 'ON_DELETE_CUSTOMAPI_CLICKED',
    RUN_FLOW_CANCEL_BUTTON_CLICKED: 'RUN_FLOW_CANCEL_BUTTON_CLICKED',
    RUN_FLOW_DONE_BUTTON_CLICKED: 'RUN_FLOW_DONE_BUTTON_CLICKED',
    RUN_FLOW_STARTED: 'RUN_FLOW_STARTED',
    RUN_FLOW_COMPLETED: 'RUN_FLOW_COMPLETED',
    TEMPLATE_LOAD_FAILED: 'TEMPLATE_LOAD_FAILED',
    WIDGET_CLOSE: 'WIDGET_CLOSE',
    WIDGET_READY: 'WIDGET_READY',
    WIDGET_RENDERED: 'WIDGET_RENDERED',
    RECEIVED_APPROVAL_STATUS_CHANGED: 'RECEIVED_APPROVAL_STATUS_CHANGED',
    SENT_APPROVAL_STATUS_CHANGED: 'SENT_APPROVAL_STATUS_CHANGED'
  };

  // Tabs per widget type; the first one is the default pathAlias.
  var PATH_ALIASES = {
    connectionWizard: ['connectionWizard'],
    copilotPlugins: ['copilotPlugins'],
    flows: ['myFlows', 'sharedFlows'],
    approvalCenter: ['receivedApprovals', 'sentApprovals'],
    bpfActionCenter: ['activeBpfs', 'inactiveBpfs'],
    flowCreation: ['flowCreation'],
    flowDetails: ['flowDetails'],
    flowEdit: ['flowEdit'],
    flowNew: ['flowNewBlank', 'flowNewAutomated', 'flowNewInstant', 'flowNewScheduled'],
    flowsRuntime: ['flowsRuntime'],
    flowRunDetails: ['flowRunDetails'],
    naturalLanguageToFlowWizard: ['naturalLanguageToFlowWizard'],
    templates: ['templates']
  };

  // pathAlias -> path after /widgets. Placeholders are filled in constructUrl.
  var CLASSIC_PATHS = {
    connectionWizard: '/manage{environment}/connections/wizard',
    copilotPlugins: '/manage{environment}/copilotPlugins',
    myFlows: '/manage{environment}/flows',
    sharedFlows: '/manage{environment}/flows/shared',
    receivedApprovals: '/manage{environment}/approvals/received',
    sentApprovals: '/manage{environment}/approvals/sent',
    activeBpfs: '/manage{environment}/businessProcess/instances/active',
    inactiveBpfs: '/manage{environment}/businessProcess/instances/inactive',
    flowCreation: '/manage{environment}/templates/flowCreation',
    flowDetails: '/manage{environment}{solution}/flows/{flowName}/details',
    flowEdit: '/manage{environment}{solution}/flows/{flowName}',
    flowRunDetails: '/manage{environment}{solution}/flows/{flowName}/runs/{runId}',
    flowNewBlank: '/manage{environment}{solution}/flows/new',
    flowNewAutomated: '/manage{environment}{solution}/flows/new/automated',
    flowNewInstant: '/manage{environment}{solution}/flows/new/instant',
    flowNewScheduled: '/manage{environment}{solution}/flows/new/scheduled',
    flowsRuntime: '/manage{environment}/flow/run',
    naturalLanguageToFlowWizard: '/create/fromNaturalLanguage',
    templates: GEN.templatesPath
  };

  // Maker portals name the approvals page differently.
  var MAKER_PATHS = Object.assign({}, CLASSIC_PATHS, {
    receivedApprovals: '/manage{environment}/approvalcenter/received',
    sentApprovals: '/manage{environment}/approvalcenter/sent'
  });

  // One list shared by every widget on the page; debugMode widgets append to
  // it and nothing ever removes entries, exactly like the real SDK.
  var allowedDomains = GEN.allowedDomains.slice();

  // ---------------------------------------------------------------------------
  // Strings, ids and errors

  function isNil(value) {
    return value === null || value === undefined;
  }

  function isString(value) {
    return typeof value === 'string' || value instanceof String;
  }

  // ToString semantics, as the original's string templates use.
  function text(value) {
    return ''.concat(value);
  }

  // The comparisons coerce with '' + value (not ToString), as the original does.
  function sameIgnoringCase(a, b) {
    return ('' + a).toUpperCase() === ('' + b).toUpperCase();
  }

  // Plain suffix test, no dot boundary; an empty suffix never matches.
  function endsWithIgnoringCase(value, suffix) {
    var subject = '' + value;
    if (!subject || !suffix) {
      return false;
    }
    return sameIgnoringCase(subject.substr(subject.length - suffix.length), suffix);
  }

  function startsWithIgnoringCase(value, prefix) {
    var subject = '' + value;
    if (!subject || !prefix) {
      return false;
    }
    return sameIgnoringCase(subject.substring(0, prefix.length), prefix);
  }

  function randomBytes(count) {
    var bytes = new Uint8Array(count);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < count; i++) {
        bytes[i] = Math.floor(Math.random() * 256);
      }
    }
    return bytes;
  }

  function hex(bytes, from, to) {
    var out = '';
    for (var i = from; i < to; i++) {
      out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    }
    return out;
  }

  // Widget ids: lower-case hex in 8-4-4-4-4-8 groups (not a real UUID; that is
  // what the shipped generator produces), with version/variant nibbles set.
  function newWidgetId() {
    var b = randomBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    return [hex(b, 0, 4), hex(b, 4, 6), hex(b, 6, 8), hex(b, 8, 10), hex(b, 10, 12), hex(b, 12, 16)].join('-');
  }

  // RPC message ids: v4-shaped, upper-case hex.
  function newMessageId() {
    var b = randomBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    return [hex(b, 0, 4), hex(b, 4, 6), hex(b, 6, 8), hex(b, 8, 10), hex(b, 10, 16)].join('-').toUpperCase();
  }

  // The shipped error class is down-levelled ES5 that extends Error. In 2.x
  // hosts receive a plain Error whose name/message are patched afterwards (its
  // stack even starts with the literal text "MsFlowSdk: message"); 1.1 drops
  // the object its Error call makes, so its errors have no stack at all.
  function sdkError(message) {
    var error = GEN.extended ? new Error('MsFlowSdk: message') : Object.create(Error.prototype);
    error.message = message;
    error.name = 'MsFlowSdk';
    return error;
  }

  function deriveHostId(location) {
    if (isNil(location) || isNil(location.pathname) || isNil(location.hostname)) {
      return WellKnownHostIds.UNSPECIFIED;
    }
    var path = location.pathname.toLowerCase();
    var host = location.hostname.toLowerCase();
    var hostEndsWith = function () {
      for (var i = 0; i < arguments.length; i++) {
        if (endsWithIgnoringCase(host, arguments[i])) {
          return true;
        }
      }
      return false;
    };
    // Order matters: first match wins (e.g. make.*.powerapps.com before *.powerapps.com).
    if (GEN.extended && hostEndsWith('.powerapps.com') && startsWithIgnoringCase(host, 'make.')) {
      return WellKnownHostIds.POWERAPPSMAKER;
    }
    if (hostEndsWith('.powerapps.com')) {
      return WellKnownHostIds.POWERAPPS;
    }
    if (hostEndsWith('.sharepoint.com', '.sharepoint-df.com', 'msft.spoppe.com')) {
      return WellKnownHostIds.SHAREPOINT;
    }
    if (hostEndsWith('.financials.dynamics.com')) {
      return WellKnownHostIds.DYNAMICS_NAV;
    }
    // Unanchored, with an unescaped dot before "com", as shipped.
    if (hostEndsWith('.crm.dynamics.com', 'crmdynint.com') || /crm\d+\.dynamics.com/.test(host)) {
      return WellKnownHostIds.DYNAMICS_CRM;
    }
    if (hostEndsWith('outlook.office.com', 'outlook-sdf.office.com')) {
      return WellKnownHostIds.OUTLOOKWEB;
    }
    if (hostEndsWith('.flow.microsoft.com', 'dev.azure-flows.net') || (GEN.extended && hostEndsWith('powerautomate.com'))) {
      return WellKnownHostIds.WIDGETTEST;
    }
    if (hostEndsWith('.hosting.portal.azure.net')) {
      return WellKnownHostIds.LOGICAPPS;
    }
    if (hostEndsWith('.azureiotcentral-dev.com', 'azureiotcentral.com')) {
      return WellKnownHostIds.IOT;
    }
    if (hostEndsWith('staffhub.office.com', 'staffhub.ms')) {
      return WellKnownHostIds.STAFFHUB;
    }
    if (hostEndsWith('bankadmin.azurewebsites.net', 'maui-uat.azurewebsites.net', 'maui-int.azurewebsites.net')) {
      return WellKnownHostIds.TREASURY;
    }
    if (path.indexOf('widgethosts/teams') >= 0) {
      return WellKnownHostIds.TEAMS;
    }
    if (path.indexOf('widgethosts/excel') >= 0) {
      return WellKnownHostIds.EXCEL;
    }
    if (GEN.extended && hostEndsWith('.customercareintelligence.net', 'powerva.microsoft.com')) {
      return WellKnownHostIds.POWERVIRTUALAGENTS;
    }
    return WellKnownHostIds.UNSPECIFIED;
  }

  // Flattens a free-form settings object into "&k=v" pairs, both encoded.
  // 2.x skips null/undefined values, but a non-empty object whose values are
  // all skipped still yields a lone "&" (as shipped); 1.1 sends them as the
  // strings "null" and "undefined".
  function dynamicParams(params) {
    var query = '';
    if (Object.keys(params).length > 0) {
      try {
        var keys = Object.keys(params).filter(function (key) {
          return !(GEN.skipsNilDynamicParams && isNil(params[key]));
        });
        query = '&' + keys.map(function (key) {
          return encodeURIComponent(key) + '=' + encodeURIComponent(params[key]);
        }).join('&');
      } catch (e) {
        throw new Error('Failed to create url params out of dynamic params data. Exception: ' + e);
      }
    }
    return query;
  }

  // ---------------------------------------------------------------------------
  // Exceptions as the bundled RPC library builds them when a reply carries an
  // error. notify() only looks at innerException.data / .message.

  function RpcFailure(type, code, message, data, innerException) {
    if (!message) {
      // Happens for an Error value with an empty message: the conversion
      // blows up and the caller's promise never settles.
      throw new Error('Message cannot be empty for exception');
    }
    this.type = type;
    this.code = code;
    this.message = message;
    this.data = isNil(data) ? null : data;
    this.innerException = isNil(innerException) ? null : innerException;
    this.stackTrace = (data instanceof Error ? data : new Error(message)).stack;
  }

  function toInnerException(value) {
    // No null guard on purpose: a reply without error.value throws here and
    // leaves the caller's promise pending, which is what hosts see for real.
    if (value instanceof Error || (value.name && value.message && !value.hasOwnProperty('_stackTrace'))) {
      return new RpcFailure('ErrorException', 'Error', value.message, value);
    }
    if (value.type && value.code && value.message && value.hasOwnProperty('_stackTrace')) {
      return value;
    }
    return new RpcFailure('UnknownException', 'UnknownException', 'Unknown error.', value);
  }

  function serializeError(thrown) {
    if (thrown instanceof Error) {
      var value = { name: thrown.name, message: thrown.message, _stack: thrown.stack };
      Object.keys(thrown).forEach(function (key) {
        value[key] = thrown[key];
      });
      return { value: value };
    }
    return { value: thrown };
  }

  // ---------------------------------------------------------------------------
  // Host-side RPC endpoint (one per widget). It listens origin-blind, answers
  // only the first __PING__, queues outgoing calls until then, and matches
  // replies by id.

  function Rpc(options) {
    var self = this;
    this._options = options;
    this._pending = {};
    this._methods = {};
    this._ready = false;
    this._queue = [];
    this._listener = function (event) {
      var data = event.data;
      if (!data) {
        return;
      }
      // Only the fields of the relevant kind are read, keyed on "method".
      var message = data.method
        ? { signature: data.signature, id: data.id, method: data.method, params: data.params }
        : { signature: data.signature, id: data.id, result: data.result, error: data.error };
      if (message.signature !== self._options.signature) {
        return;
      }
      if (message.method) {
        self._onRequest(message);
      } else {
        self._onResponse(message);
      }
    };
    window.addEventListener('message', this._listener);
    this.register(PING, this._onPing);
  }

  Rpc.prototype._post = function (message) {
    this._options.targetWindow.postMessage(message, this._options.targetOrigin);
  };

  Rpc.prototype._onRequest = function (request) {
    var self = this;
    var method = this._methods[request.method];
    if (!method) {
      return;
    }
    var reply = { signature: request.signature, id: request.id, error: null };
    try {
      // Replies always go out after a microtask, even for synchronous results.
      Promise.resolve(method.apply(this, request.params)).then(function (result) {
        reply.result = result;
        self._post(reply);
      }).catch(function (e) {
        reply.error = serializeError(e);
        self._post(reply);
      });
    } catch (e) {
      reply.error = serializeError(e);
      this._post(reply);
    }
  };

  Rpc.prototype._onResponse = function (response) {
    var waiting = this._pending[response.id];
    if (!waiting) {
      return;
    }
    if (response.error) {
      waiting.reject(new RpcFailure('RpcException', 'ReceiverFailed', 'Receiver failed', null,
        toInnerException(response.error.value)));
    } else {
      waiting.resolve(response.result);
    }
    delete this._pending[response.id];
  };

  Rpc.prototype._onPing = function () {
    // The widget announced itself: later pings are for the Widget handler only.
    this.unregister(PING);
    this._ready = true;
    this._flush();
    return PONG;
  };

  Rpc.prototype._flush = function () {
    var queued = this._queue;
    this._queue = [];
    for (var i = 0; i < queued.length; i++) {
      this._send(queued[i]);
    }
  };

  Rpc.prototype._send = function (message) {
    try {
      this._post(message);
    } catch (e) {
      this._pending[message.id].reject(e);
      delete this._pending[message.id];
    }
  };

  Rpc.prototype.call = function (method, params) {
    var self = this;
    var message = {
      signature: this._options.signature,
      id: newMessageId(),
      method: method.toUpperCase(),
      params: params
    };
    var promise = new Promise(function (resolve, reject) {
      self._pending[message.id] = { resolve: resolve, reject: reject };
    });
    if (this._ready || method === PING) {
      this._send(message);
    } else {
      this._queue.push(message);
    }
    return promise;
  };

  Rpc.prototype.register = function (method, handler) {
    var name = method.toUpperCase();
    if (this._methods[name]) {
      throw new Error("Rpc method with name '" + method + "' already registered.");
    }
    this._methods[name] = handler;
  };

  Rpc.prototype.unregister = function (method) {
    var name = method.toUpperCase();
    if (!this._methods[name]) {
      throw new Error('Rpc method with name ' + method + ' failed to unregister. Method not found');
    }
    delete this._methods[name];
  };

  // Child-side handshake; the host never uses it, kept for API parity.
  Rpc.prototype.ack = function () {
    var self = this;
    this.unregister(PING);
    return this.call(PING).then(function (answer) {
      if (answer !== PONG) {
        return Promise.reject(new Error('Invalid PONG message' + answer));
      }
      self._ready = true;
      self._flush();
    }).catch(function (e) {
      self.register(PING, self._onPing);
      console.error('PING failed to receive PONG message', e);
      return Promise.reject(e);
    });
  };

  Rpc.prototype.dispose = function () {
    var pending = this._pending;
    this._methods = {};
    this._pending = {};
    Object.keys(pending).forEach(function (id) {
      pending[id].reject(new Error('rpc disposed'));
    });
    window.removeEventListener('message', this._listener);
  };

  // ---------------------------------------------------------------------------
  // Widget

  function Widget(widgetOption, sdkOption) {
    this.widgetOption = widgetOption;
    this.sdkOption = sdkOption;
    this.callbacks = {};
    this.notifyCallback = NOTIFY;
    this.widgetReady = false;

    if (!this.widgetOption) {
      throw sdkError('Widget requires a widget option.');
    }
    if (!this.sdkOption) {
      throw sdkError('Widget requires a sdk option.');
    }
    var handler = this.widgetOption.oAuthHandler;
    var knownHandler = Object.keys(OAuthHandlers).some(function (key) {
      return sameIgnoringCase(handler, OAuthHandlers[key]);
    });
    if (handler && !knownHandler) {
      throw sdkError('Invalid OAuth handler specified: ' + handler);
    }
    if (!this.sdkOption.hostName || this.sdkOption.hostName.length < 1) {
      throw sdkError('hostName is required in sdk option.');
    }
    var hostName = this.sdkOption.hostName;
    if (typeof hostName === 'string' && hostName.charAt(hostName.length - 1) === '/') {
      this.sdkOption.hostName = hostName.substring(0, hostName.length - 1);
    }
    if (isNil(this.sdkOption.hostId)) {
      this.sdkOption.hostId = deriveHostId(document.location);
    }
    if (isString(this.widgetOption.container)) {
      this.widgetOption.container = document.getElementById(this.widgetOption.container);
    }
    // "v1/{environment}/{flow}" (SharePoint column links) carries its own environment (2.x).
    if (GEN.extended && this.widgetOption.flowName && this.widgetOption.flowName.substring(0, 3) == 'v1/') {
      var parts = this.widgetOption.flowName.split('/');
      this.widgetOption.environmentId = parts[1];
      this.widgetOption.flowName = parts[2];
    }
    if (!this.widgetOption.container) {
      throw sdkError('Widget requires a container element.');
    }
    if (isNil(this.widgetOption.widgetId)) {
      this.widgetOption.widgetId = newWidgetId();
    }
    if (widgetOption.debugMode) {
      allowedDomains.push.apply(allowedDomains, GEN.debugDomains);
    }
    // Regional-portal mode is not emulated: the iframe is always built at
    // once on the configured host (enableRegionalPortal still goes in the query).
    this.initializeIframe(this.widgetOption.environmentId, this.sdkOption.hostName);
  }

  Widget.prototype.initializeIframe = function (environmentName, hostName) {
    this.sdkOption.hostName = hostName;
    this.widgetOption.environmentId = this.widgetOption.environmentId || environmentName;
    this.url = this.constructUrl();
    this.renderIframe();
    this.rpcClient = new Rpc({
      signature: this.widgetOption.widgetId,
      targetOrigin: '*',
      targetWindow: this.iframe.contentWindow
    });
  };

  Widget.prototype.getRpcClient = function () {
    return this.rpcClient;
  };

  Widget.prototype.createRequestParam = function () {
    return { callInfo: { widgetId: this.widgetOption.widgetId } };
  };

  Widget.prototype.setIsReady = function () {
    this.widgetReady = true;
  };

  Widget.prototype.listen = function (eventName, callback) {
    // First registration wins; there is no way to replace or remove one.
    if (!this.callbacks[eventName]) {
      this.callbacks[eventName] = callback;
    }
  };

  Widget.prototype.notify = function (actionName, actionData) {
    var self = this;
    if (!this.widgetReady) {
      return Promise.reject({ code: 'WidgetNotReady', message: 'Notify() called before widget has fired WIDGET_READY' });
    }
    return new Promise(function (resolve, reject) {
      var param = self.createRequestParam();
      param.data = { actionName: actionName, actionData: actionData };
      self.rpcClient.call(self.notifyCallback, [param]).then(function (result) {
        resolve(result && result.data ? result.data : null);
      }).catch(function (error) {
        if (error && error.innerException) {
          error = error.innerException.data
            ? error.innerException.data
            : { code: 'UnknownError', message: error.innerException.message };
        }
        reject(error);
      });
    });
  };

  Widget.prototype.dispose = function () {
    if (this.iframe) {
      this.widgetOption.container.removeChild(this.iframe);
      // Added with capture=true but removed without it, so the listener
      // stays attached (faithful leak). The rpc is not disposed either.
      window.removeEventListener('message', this.onReceivedMessageHandler);
    }
  };

  Widget.prototype.renderIframe = function () {
    var self = this;
    var iframe = document.createElement('iframe');
    this.iframe = iframe;
    iframe.setAttribute('src', this.url);
    iframe.setAttribute('id', this.widgetOption.widgetId);
    iframe.setAttribute('name', 'widgetIFrame');
    if (GEN.iframe.tabIndex) {
      iframe.setAttribute('tabIndex', GEN.iframe.tabIndex);
    }
    iframe.setAttribute('allow', 'geolocation');
    var title = this.widgetOption.iframeTitle || GEN.iframe.defaultTitle;
    if (title) {
      iframe.setAttribute('title', title);
    }
    if (GEN.iframe.role) {
      iframe.setAttribute('role', GEN.iframe.role);
    }
    var container = this.widgetOption.container;
    iframe.scrolling = container.getAttribute('data-mswidget-scrolling') || 'yes';
    container.appendChild(iframe);

    this.onReceivedMessageHandler = function (event) {
      return self.onMessageReceived(event);
    };
    window.addEventListener('message', this.onReceivedMessageHandler, true);

    this.listen(WidgetHostAction.SIDE_PANE_VISIBILITY_SET, function (requestParam) {
      self.iframe.scrolling = requestParam.data && requestParam.data.visible ? 'no' : 'auto';
    });
    // 1.1 listens for nothing else: GET_WIDGET_OPTIONS gets UnlistenedEventCalled.
    if (GEN.extended) {
      addExtendedListeners(this);
    }
  };

  // The listeners 2.x added: the connection wizard's three and GET_WIDGET_OPTIONS.
  function addExtendedListeners(self) {
    self.listen('CONNECTION_REFERENCES_CONFIRMED', function (requestParam) {
      var settings = self.widgetOption.connectionWizardSettings;
      if (self.getWidgetType() === WidgetTypes.connectionWizard ||
          (settings && settings.onConnectionReferencesConfirmed)) {
        self.widgetOption.connectionWizardSettings.onConnectionReferencesConfirmed(requestParam.data);
      }
    });
    self.listen('CONNECTION_WIZARD_CONFIRMATIONBUTTONDETAILS', function (requestParam) {
      var settings = self.widgetOption.connectionWizardSettings;
      if (self.getWidgetType() === WidgetTypes.connectionWizard ||
          (settings && settings.onConnectionWizardConfirmationButtonDetailsChanged)) {
        self.widgetOption.connectionWizardSettings.onConnectionWizardConfirmationButtonDetailsChanged(requestParam.data);
      }
    });
    self.listen('CONNECTION_WIZARD_ERROR', function (requestParam) {
      var settings = self.widgetOption.connectionWizardSettings;
      if (settings && settings.onConnectionWizardError) {
        settings.onConnectionWizardError(requestParam.data);
      }
    });
    self.listen('GET_WIDGET_OPTIONS', function (requestParam, done) {
      // Read at call time, so later changes to the option objects show up.
      var option = self.widgetOption;
      var wizard = option.connectionWizardSettings;
      var details = option.flowDetailsSettings;
      var flows = option.flowsSettings;
      var runtime = option.runtimeSettings;
      var templates = option.templatesSettings;
      done(null, {
        connectionReferences: wizard && wizard.connectionReferences,
        flowsFilter: flows && flows.flowsFilter,
        waitAfterInstallingFlow: runtime && runtime.waitAfterInstallingFlow,
        additionalOwners: option.additionalOwners,
        embeddedIn: option.embeddedIn,
        exitWidgetToEditInAdvancedMode: templates && templates.exitWidgetToEditInAdvancedMode,
        hideFlowCreationCloseButton: templates && templates.hideFlowCreationCloseButton,
        hideFlowCreationHeader: templates && templates.hideFlowCreationHeader,
        hideTemplateTitleDietDesigner: templates && templates.hideTemplateTitleDietDesigner,
        hideTemplateTypeDietDesigner: templates && templates.hideTemplateTypeDietDesigner,
        useFlowCreatorSurfaceFromTemplateGallery: templates && templates.useFlowCreatorSurfaceFromTemplateGallery,
        flowDetailsBreadcrumbItems: details && details.breadcrumbItems,
        enableDynamicSchemaCallback: option.enableDynamicSchemaCallback,
        flowDetailsEnableDefaultBreadcrumbs: details && details.enableDefaultBreadcrumbs,
        teamsDeepLinkScenariosEnabled: option.teamsDeepLinkScenariosEnabled,
        exitWidgetToViewCreatedFlow: templates && templates.exitWidgetToViewCreatedFlow,
        pathAliasOverrides: option.pathAliasOverrides,
        preventCloseOnFlowCreationDoneClicked: templates && templates.preventCloseOnFlowCreationDoneClicked,
        hideDesignerBackButton: flows && flows.hideDesignerBackButton,
        hideDesignerTestButton: flows && flows.hideDesignerTestButton
      });
    });
  }

  Widget.prototype.isValidRpcEvent = function (event) {
    // event.data is dereferenced unguarded: a null payload throws a TypeError
    // out of this listener, as it does with the real SDK.
    var origin = event.origin;
    return sameIgnoringCase(event.data.signature, this.widgetOption.widgetId) &&
      allowedDomains.some(function (domain) {
        return endsWithIgnoringCase(origin, domain);
      });
  };

  Widget.prototype.onMessageReceived = function (event) {
    if (!this.isValidRpcEvent(event)) {
      // Any unrelated postMessage on the page lands here too (noisy by design).
      var problem = {
        name: 'InvalidRpcEvent',
        message: 'Widget dropping received message because its RPC event is invalid, event originated from ' + event.origin
      };
      if (this.widgetOption.errorHandler) {
        this.widgetOption.errorHandler(problem);
      }
      if (this.widgetOption.debugMode) {
        console.warn(problem);
      }
      return;
    }
    var method = event.data.method;
    if (!method) {
      return; // a response: the Rpc listener deals with those
    }
    if (method === PING) {
      this.rpcAckHandler(event);
    } else {
      this.invokeCallbackHandler(method, event);
    }
  };

  // Answers every ping (reloads included), to the widget's exact origin.
  Widget.prototype.rpcAckHandler = function (event) {
    var reply = { id: event.data.id, signature: event.data.signature, result: PONG, error: null };
    if (event.source) {
      event.source.postMessage(reply, event.origin);
    }
  };

  Widget.prototype.invokeCallbackHandler = function (eventName, event) {
    var requestParam;
    if (event && event.data && event.data.params && event.data.params.length > 0) {
      requestParam = event.data.params[0];
    }
    // Ready before the host's own callback runs, so it may notify() at once.
    if (eventName === WidgetHostAction.WIDGET_READY) {
      this.setIsReady();
    }
    var callback = this.callbacks[eventName];
    var reply = { id: event.data.id, signature: event.data.signature };
    var send = function () {
      if (event.source) {
        event.source.postMessage(reply, event.origin);
      }
    };
    if (callback) {
      var done = function (error, result) {
        reply.result = result;
        reply.error = error;
        send();
      };
      try {
        callback(requestParam, done);
      } catch (e) {
        // Posted raw (no {value}), so a widget on the same library hangs.
        reply.error = e;
        send();
      }
    } else {
      // Lets the widget fall back to defaults (the allowOptionalEvents promise).
      reply.error = {
        value: {
          name: 'UnlistenedEventCalled',
          message: "Event '" + eventName + "' is not being listened for by the host"
        }
      };
      send();
    }
  };

  Widget.prototype.getWidgetPathAlias = function () {
    var type = this.getWidgetType();
    var option = this.widgetOption;
    var tab = null;
    if (type === WidgetTypes.flows) {
      tab = option.flowsSettings ? option.flowsSettings.tab : null;
    } else if (type === WidgetTypes.flowNew) {
      tab = option.flowNewSettings ? option.flowNewSettings.tab : null;
    } else if (type === WidgetTypes.approvalCenter) {
      tab = option.approvalCenterSettings ? option.approvalCenterSettings.tab : null;
    } else if (type === WidgetTypes.bpfActionCenter) {
      tab = option.bpfActionCenterSettings ? option.bpfActionCenterSettings.tab : null;
    }
    var aliases = PATH_ALIASES[type];
    if (tab && aliases.indexOf(tab) === -1) {
      throw sdkError('Please provide a valid widget tab identifier for the specified widget type. ' +
        "Widget type '" + type + "' does not support tab '" + text(tab) + "'. Supported tabs for " +
        "this widget type are: '" + JSON.stringify(aliases) + "'.");
    }
    return tab ? tab : aliases[0];
  };

  Widget.prototype.getWidgetPath = function () {
    var hostName = this.sdkOption.hostName;
    var onMakerHost = GEN.makerHosts.some(function (domain) {
      return endsWithIgnoringCase(hostName, domain);
    });
    return (onMakerHost ? MAKER_PATHS : CLASSIC_PATHS)[this.getWidgetPathAlias()];
  };

  Widget.prototype.constructBaseUrl = function () {
    return text(this.sdkOption.hostName) + '/' + text(this.sdkOption.locale) + '/widgets';
  };

  Widget.prototype.constructUrl = function () {
    var option = this.widgetOption;
    var url = this.constructBaseUrl() + this.getWidgetPath() + this.constructWidgetQueryString();
    // One String.replace each, over the whole URL (query included), so only
    // the first occurrence is filled and "$" patterns in values are live.
    url = url.replace('{environment}', !option.environmentId ? '' : '/environments/' + text(option.environmentId));
    if (!GEN.extended) {
      return url;
    }
    return url
      .replace('{solution}', !option.solutionId ? '' : '/solutions/' + text(option.solutionId))
      .replace('{flowName}', !option.flowName ? '' : option.flowName)
      .replace('{runId}', !option.runId ? '' : option.runId);
  };

  Widget.prototype.constructBaseQueryString = function () {
    var sdk = this.sdkOption;
    var option = this.widgetOption;
    // Values here go in raw: hosts must encode them themselves.
    var query = '?widgetId=' + text(option.widgetId) +
      '&sdkVersion=' + GEN.version +
      '&widgetType=' + this.getWidgetType() +
      '&utm_medium=widget' +
      '&utm_source=' + text(sdk.hostId);
    if (GEN.extended) {
      if (sdk.hostLocale) { query += '&utm_locale=' + text(sdk.hostLocale); }
      if (sdk.hostPlatform) { query += '&utm_platform=' + text(sdk.hostPlatform); }
      if (sdk.hostVersion) { query += '&utm_version=' + text(sdk.hostVersion); }
      if (option.sessionId) { query += '&sessionId=' + text(option.sessionId); }
    }
    if (option.campaign) { query += '&utm_campaign=' + text(option.campaign); }
    if (option.visibleHideKeys) { query += '&visibleHideKeys=' + text(option.visibleHideKeys); }
    if (option.environmentId) { query += '&environment=' + text(option.environmentId); }
    if (option.solutionId) { query += '&solutionId=' + text(option.solutionId); }
    // Sent only when the host chose a value, leaving the default to the portal.
    if (!isNil(option.enableOnBehalfOfTokens)) { query += '&enableOnBehalfOfTokens=' + text(option.enableOnBehalfOfTokens); }
    if (!isNil(option.groupId)) { query += '&groupId=' + text(option.groupId); }
    if (!isNil(option.enableRegionalPortal)) { query += '&enableRegionalPortal=' + text(option.enableRegionalPortal); }
    if (!isNil(option.enableWidgetV2)) { query += '&enableWidgetV2=' + text(option.enableWidgetV2); }
    if (isNil(option.oAuthHandler)) {
      option.oAuthHandler = OAuthHandlers.oAuth;
    }
    query += '&oAuthHandler=' + text(option.oAuthHandler);
    return query;
  };

  // Always present so the widget can rely on a stable default.
  function hideTabsParam(value) {
    return value === true ? '&hideTabs=true' : '&hideTabs=false';
  }

  // "&name=<value>" when truthy; the value's own string form is sent.
  function valueParam(name, value) {
    return value ? '&' + name + '=' + text(value) : '';
  }

  // "&name=true" when truthy, whatever the value was.
  function flagParam(name, value) {
    return value ? '&' + name + '=true' : '';
  }

  Widget.prototype.constructWidgetQueryString = function () {
    var option = this.widgetOption;
    var query = this.constructBaseQueryString();

    if (option.widgetStyleSettings) {
      query += dynamicParams(option.widgetStyleSettings);
    }
    if (GEN.extended && this.getWidgetType() === WidgetTypes.flowsRuntime && option.flowName) {
      query += '&flowName=' + text(option.flowName);
    }

    // Every settings object present is applied, whatever the widget type.
    var flows = option.flowsSettings;
    if (flows) {
      query += valueParam('defaultTemplate', flows.createFromBlankTemplateId);
      // 2.x leaves flowsFilter out and hands it over via GET_WIDGET_OPTIONS.
      // btoa throws for text outside Latin-1, out of renderWidget, as in 1.1.
      if (GEN.flowsFilterInUrl && flows.flowsFilter) {
        query += '&encodedFlowsFilter=' + encodeURIComponent(window.btoa(flows.flowsFilter));
      }
      query += hideTabsParam(flows.hideTabs);
      query += flagParam('isMini', flows.isMini);
      query += flagParam('hideFlowCreation', flows.hideFlowCreation);
      query += flagParam('enableBusinessProcessFlow', flows.enableBusinessProcessFlow);
      if (GEN.extended) {
        query += flagParam('allowImplicitConsent', flows.allowImplicitConsent);
        query += flagParam('teamsHome', flows.enableTeamsHomePage);
        if (flows.widgetFlowListDisplaySettings) {
          query += dynamicParams(flows.widgetFlowListDisplaySettings);
        }
      }
    }

    var flowNew = GEN.extended ? option.flowNewSettings : null;
    if (flowNew) {
      query += valueParam('template', flowNew.templateName);
      query += valueParam('gallery', flowNew.galleryName);
      if (flowNew.connectionReferences) {
        var references = flowNew.connectionReferences;
        Object.keys(references).forEach(function (name) {
          query += '&connection.' + name + '=' + text(references[name].selectedConnectionName);
        });
      }
    }

    var approvals = option.approvalCenterSettings;
    if (approvals) {
      query += hideTabsParam(approvals.hideTabs);
      if (approvals.approvalsFilter) {
        // The one hand-written setting that is encoded.
        query += '&approvalsFilter=' + encodeURIComponent(approvals.approvalsFilter);
      }
      query += flagParam('autoNavigateToDetails', approvals.autoNavigateToDetails);
      query += flagParam('hideInfoPaneCloseButton', approvals.hideInfoPaneCloseButton);
      query += flagParam('hideFlowCreation', approvals.hideFlowCreation);
      query += flagParam('showSimpleEmptyPage', approvals.showSimpleEmptyPage);
      query += flagParam('hideLink', approvals.hideLink);
      query += flagParam('showApprovalHistory', approvals.showApprovalHistory);
    }

    if (GEN.extended && option.flowCreationSettings) {
      query += valueParam('hideEditAdvancedModeButton', option.flowCreationSettings.hideEditAdvancedModeButton);
    }

    var templates = option.templatesSettings;
    if (templates) {
      if (templates.defaultParams) {
        query += dynamicParams(templates.defaultParams);
      }
      query += valueParam('destination', templates.destination);
      query += valueParam('category', templates.templateCategory);
      query += valueParam('metadataSortProperty', templates.metadataSortProperty);
      query += valueParam('pageSize', templates.pageSize);
      query += valueParam('useServerSideProvisioning', templates.useServerSideProvisioning);
      query += valueParam('q', templates.searchTerm); // raw: '&' or '#' in it breaks the URL
      var later = GEN.extended; // the settings 2.x added
      query += later ? valueParam('templatesShell', templates.enableTemplatesPageShell) : '';
      query += later ? valueParam('hideSidePanel', templates.hideSidePanel) : '';
      query += later ? valueParam('hideStartWithDescription', templates.hideStartWithDescription) : '';
      query += later ? valueParam('showCreateButtonOnLeft', templates.showCreateButtonOnLeft) : '';
      query += flagParam('showGoBack', templates.showGoBack);
      query += valueParam('enableWidgetCloseOnFlowSave', templates.enableWidgetCloseOnFlowSave);
      query += valueParam('enableDietDesigner', templates.enableDietDesigner);
      query += later ? valueParam('disableNavigationAfterAutoCreation', templates.disableNavigationAfterAutoCreation) : '';
      query += valueParam('allowCustomFlowName', templates.allowCustomFlowName);
      query += flagParam('showCreateFromBlank', templates.showCreateFromBlank);
      query += flagParam('showHiddenTemplates', templates.showHiddenTemplates);
      query += valueParam('oneClickCategory', templates.oneClickCategory);
      query += later ? valueParam('dietCategory', templates.dietCategory) : '';
      query += later ? valueParam('waitAfterSavingFlow', templates.waitAfterSavingFlow) : '';
    }

    if (option.runtimeSettings) {
      query += dynamicParams(option.runtimeSettings);
    }

    query += '&pathAlias=' + this.getWidgetPathAlias();
    // Only after a failed regional lookup, which the sandbox never makes.
    query += flagParam('regionalPortalInitFailed', this.regionalPortalInitFailed);
    query += flagParam('historyDisabled', option.historyDisabled);
    if (GEN.extended && option.naturalLanguageToFlowWizardSettings) {
      query += valueParam('prompt', option.naturalLanguageToFlowWizardSettings.initialPrompt);
    }
    // Tells the widget that unhandled events get an error reply instead of
    // silence, so optional events are safe to call. Always last.
    query += '&allowOptionalEvents=true';
    return query;
  };

  // One constructor per widget type, like the real per-type subclasses.
  var widgetClasses = {};
  Object.keys(WidgetTypes).forEach(function (type) {
    function TypedWidget(widgetOption, sdkOption) {
      Widget.call(this, widgetOption, sdkOption);
    }
    TypedWidget.prototype = Object.create(Widget.prototype);
    TypedWidget.prototype.constructor = TypedWidget;
    TypedWidget.prototype.getWidgetType = function () {
      return type;
    };
    TypedWidget.widgetType = type;
    widgetClasses[type] = TypedWidget;
  });

  // ---------------------------------------------------------------------------
  // MsFlowSdk

  function MsFlowSdk(sdkOption) {
    this.sdkOption = sdkOption;
    if (!this.sdkOption) {
      throw sdkError('Sdk options are required');
    }
    if (this.sdkOption.hostName && typeof this.sdkOption.hostName !== 'string') {
      throw sdkError('The host name can only be of type string');
    }
    // Note: the defaults are written into the caller's own object.
    this.sdkOption.hostName = this.sdkOption.hostName || 'https://flow.microsoft.com';
    this.sdkOption.locale = this.sdkOption.locale || 'en-us';
  }

  MsFlowSdk.prototype.renderWidget = function (widgetType, widgetOption) {
    // Exact, case-sensitive names only ('runtime' from the docs is refused).
    var WidgetClass = typeof widgetType === 'string' && Object.prototype.hasOwnProperty.call(widgetClasses, widgetType)
      ? widgetClasses[widgetType]
      : null;
    if (!WidgetClass) {
      throw sdkError('please provide a valid supported widget type.');
    }
    return new WidgetClass(widgetOption, this.sdkOption);
  };

  window.MsFlowSdk = MsFlowSdk;
  window.WidgetTypes = WidgetTypes;
  window.OAuthHandlers = OAuthHandlers;
  window.WellKnownHostIds = WellKnownHostIds;
  if (GEN.extended) {
    window.WidgetHostAction = WidgetHostAction;
    window.WidgetNotifyActions = WidgetNotifyActions;
  }

  // Lets hosts load the script with async/defer.
  if (typeof window.msFlowSdkLoaded === 'function') {
    window.msFlowSdkLoaded();
  }
})(window, document);
