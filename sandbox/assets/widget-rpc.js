/*
 * Flowhost sandbox: widget (iframe) side of the flow widget postMessage RPC.
 *
 * The sandbox's widget pages use this to talk to the host SDK
 * (msflowsdk-1.1.js) running in the parent page, over the SDK's postMessage
 * protocol: envelopes {id, signature, ...} with the widgetId as signature, a
 * __PING__/__PONG__ handshake, requests answered {id, signature, result, error}
 * with errors as {value: {name, message}}. Written from the protocol as
 * observed; no Microsoft code. Classic script, ES2019, no dependencies.
 * Defines window.WidgetRpc.
 *
 *   var rpc = new WidgetRpc(widgetId);      // widgetId from the page query
 *   rpc.connect()                           // __PING__ -> first __PONG__
 *   rpc.call('GET_ACCESS_TOKEN', {resource: 'https://service.flow.microsoft.com/'})
 *   rpc.fire('WIDGET_READY', {widgetType: 'flows'})
 *   rpc.handle('NOTIFY', function (param) { return valueOrPromise; })
 *   rpc.dispose()
 */
(function (window) {
  'use strict';

  var PING = '__PING__';
  var PONG = '__PONG__';

  // Upper-case v4-shaped ids, like the host's RPC library uses.
  function newMessageId() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) {
        bytes[i] = Math.floor(Math.random() * 256);
      }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var out = '';
    for (var j = 0; j < 16; j++) {
      if (j === 4 || j === 6 || j === 8 || j === 10) {
        out += '-';
      }
      out += (bytes[j] < 16 ? '0' : '') + bytes[j].toString(16);
    }
    return out.toUpperCase();
  }

  function isFramed() {
    return window.parent && window.parent !== window;
  }

  // The host's .catch receives exactly what we put in error.value, so keep it
  // to a predictable {code, message}.
  function toErrorValue(thrown) {
    var code = 'ActionFailed';
    var message = 'Action failed';
    if (thrown && typeof thrown === 'object') {
      if (thrown.code !== undefined && thrown.code !== null && thrown.code !== '') {
        code = String(thrown.code);
      }
      if (thrown.message !== undefined && thrown.message !== null && thrown.message !== '') {
        message = String(thrown.message);
      } else if (thrown instanceof Error) {
        message = thrown.name || message;
      }
    } else if (thrown !== undefined && thrown !== null && thrown !== '') {
      message = String(thrown);
    }
    return { code: code, message: message };
  }

  // What a caller's promise rejects with for an error reply. A host callback
  // that throws makes the SDK post a raw Error with no "value"; the real widget
  // would hang on that, we reject instead so the page can show something.
  function toRejection(error) {
    if (error.value !== undefined && error.value !== null) {
      return error.value;
    }
    var failure = new Error('Receiver failed');
    failure.rpcError = error;
    return failure;
  }

  function WidgetRpc(widgetId) {
    if (typeof widgetId !== 'string' || widgetId === '') {
      throw new TypeError('WidgetRpc needs the widgetId from the page query');
    }
    var self = this;
    // The signature is the widgetId byte for byte: the host's Rpc compares it
    // exactly, so never re-case or re-format it.
    this.widgetId = widgetId;
    this.connected = false;
    this._pending = Object.create(null);  // id -> {resolve, reject, ping}
    this._queue = [];                     // requests waiting for the PONG
    this._handlers = Object.create(null); // upper-case method -> function
    this._disposed = false;
    this._onMessage = function (event) {
      self._receive(event);
    };
    window.addEventListener('message', this._onMessage);
  }

  WidgetRpc.prototype._request = function (method, data) {
    return {
      signature: this.widgetId,
      id: newMessageId(),
      method: String(method).toUpperCase(),
      params: [{ data: data === undefined ? {} : data }]
    };
  };

  WidgetRpc.prototype._post = function (message) {
    // targetOrigin '*': the host page may live anywhere; the signature is the guard.
    window.parent.postMessage(message, '*');
  };

  // Posts now if connected, otherwise queues. A failed post rejects the caller.
  WidgetRpc.prototype._send = function (message, onFailure) {
    if (!this.connected) {
      this._queue.push({ message: message, onFailure: onFailure });
      return;
    }
    try {
      this._post(message);
    } catch (e) {
      onFailure(e);
    }
  };

  WidgetRpc.prototype._flush = function () {
    var queued = this._queue;
    this._queue = [];
    for (var i = 0; i < queued.length; i++) {
      try {
        this._post(queued[i].message);
      } catch (e) {
        queued[i].onFailure(e);
      }
    }
  };

  WidgetRpc.prototype._forget = function (id) {
    var entry = this._pending[id];
    delete this._pending[id];
    return entry;
  };

  WidgetRpc.prototype.connect = function () {
    var self = this;
    if (this._disposed) {
      return Promise.reject(new Error('WidgetRpc disposed'));
    }
    if (!isFramed()) {
      return Promise.reject(new Error('WidgetRpc: the page is not framed, there is no host to ping'));
    }
    var id = newMessageId();
    // params is present but undefined, as the real widget sends it.
    var ping = { signature: this.widgetId, id: id, method: PING, params: undefined };
    return new Promise(function (resolve, reject) {
      self._pending[id] = { resolve: resolve, reject: reject, ping: true };
      try {
        self._post(ping); // pings are never queued
      } catch (e) {
        self._forget(id);
        reject(e);
      }
    });
  };

  WidgetRpc.prototype.call = function (method, data) {
    var self = this;
    if (this._disposed) {
      return Promise.reject(new Error('WidgetRpc disposed'));
    }
    var message = this._request(method, data);
    return new Promise(function (resolve, reject) {
      self._pending[message.id] = { resolve: resolve, reject: reject, ping: false };
      self._send(message, function (e) {
        self._forget(message.id);
        reject(e);
      });
    });
  };

  // One-way events (WIDGET_READY, WIDGET_RENDERED, ...): hosts usually never
  // answer these, so nothing waits and any late reply is dropped as unknown.
  WidgetRpc.prototype.fire = function (method, data) {
    if (this._disposed) {
      return Promise.reject(new Error('WidgetRpc disposed'));
    }
    var message = this._request(method, data);
    if (!this.connected) {
      this._queue.push({
        message: message,
        onFailure: function (e) {
          console.error('WidgetRpc: could not post ' + message.method, e);
        }
      });
      return Promise.resolve(undefined);
    }
    try {
      this._post(message);
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve(undefined);
  };

  // Registers the answer to host -> widget requests (NOTIFY). A later handle()
  // for the same method replaces the earlier one.
  WidgetRpc.prototype.handle = function (method, handler) {
    if (typeof handler !== 'function') {
      throw new TypeError('WidgetRpc.handle needs a function');
    }
    this._handlers[String(method).toUpperCase()] = handler;
  };

  WidgetRpc.prototype.dispose = function () {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    window.removeEventListener('message', this._onMessage);
    var pending = this._pending;
    this._pending = Object.create(null);
    this._queue = [];
    Object.keys(pending).forEach(function (id) {
      pending[id].reject(new Error('WidgetRpc disposed'));
    });
  };

  WidgetRpc.prototype._receive = function (event) {
    // Only our own host: other frames, extensions and ourselves are ignored.
    if (!isFramed() || event.source !== window.parent) {
      return;
    }
    var data = event.data;
    if (!data || typeof data !== 'object') {
      return;
    }
    if (data.signature !== this.widgetId) {
      return;
    }
    // Keyed on "method" alone; envelopes differ in key order and in which
    // keys they carry at all, so never infer the kind from the shape.
    if (data.method) {
      this._onRequest(data);
    } else {
      this._onResponse(data);
    }
  };

  WidgetRpc.prototype._onResponse = function (data) {
    if (typeof data.id !== 'string' || !(data.id in this._pending)) {
      return; // duplicate PONG, reply to a fire(), or not ours
    }
    var entry = this._forget(data.id);
    if (data.error) {
      entry.reject(toRejection(data.error));
    } else if (!entry.ping) {
      entry.resolve(data.result);
    } else if (data.result === PONG) {
      this.connected = true;
      this._flush();
      entry.resolve(undefined);
    } else {
      entry.reject(new Error('Invalid PONG message'));
    }
  };

  WidgetRpc.prototype._onRequest = function (data) {
    var self = this;
    var id = data.id;
    var handler = this._handlers[data.method];
    if (!handler) {
      this._replyError(id, {
        code: 'UnknownMethod',
        message: "Method '" + data.method + "' is not handled by this widget"
      });
      return;
    }
    var param;
    if (data.params && data.params.length > 0) {
      param = data.params[0];
    }
    var outcome;
    try {
      outcome = Promise.resolve(handler.call(undefined, param));
    } catch (e) {
      outcome = Promise.reject(e);
    }
    outcome.then(function (value) {
      if (self._disposed) {
        return;
      }
      try {
        self._post({ signature: self.widgetId, id: id, error: null, result: { data: value } });
      } catch (e) {
        // Typically a DataCloneError: tell the host rather than leave it waiting.
        self._replyError(id, { code: 'ActionFailed', message: 'Result could not be posted: ' + toErrorValue(e).message });
      }
    }, function (thrown) {
      self._replyError(id, toErrorValue(thrown));
    });
  };

  WidgetRpc.prototype._replyError = function (id, value) {
    if (this._disposed) {
      return;
    }
    try {
      // Always {value: ...}: the host SDK hangs on an error without one.
      this._post({ signature: this.widgetId, id: id, error: { value: value } });
    } catch (e) {
      console.error('WidgetRpc: could not post error reply', e);
    }
  };

  window.WidgetRpc = WidgetRpc;
})(window);
