// The sandbox's JavaScript side, evaluated once in every fresh context before the script.
//
// It is an expression: a function the host calls, while booting a spare context, with the name
// of the hidden host global and three data-less notifications (calling one schedules a host
// callback: work to drain, tool call limit hit, memory budget hit). The execution's own
// settings arrive later through host.configure(), in the same evaluation as the script. It
// defines the script's world (`tools`, `console`, `setTimeout`), removes what a script must
// not have, meters off-heap memory, and keeps the bridge state in closures. The host reaches
// the bridge through one non-enumerable global with a random name; everything that global
// returns is JSON text the host treats as untrusted.
//
// All JS runs inside evaluations the host posts: tool results, timers and the start of the
// script each arrive as one evaluation, and V8 runs the resulting microtasks before the next
// one. Nothing here ever runs on its own, so the host's deadline covers every line of JS.
//
// Every context compiles this file afresh (mini-racer has no code cache). V8 compiles a
// function lazily: it pre-parses the body here and parses it again on the first call. The
// functions every execution calls are written as parenthesised expressions, `(function f()
// {...})`, which V8 compiles at once instead: one parse, while the spare context boots,
// instead of two, the second on the execution's own time.
(function install(hostName, notifyWork, notifyToolCallLimit, notifyMemory) {
  'use strict';
  // Replaced by host.configure() before the script runs.
  const config = {
    identifiers: [], maxToolCalls: 0, maxValueBytes: 0, maxLogBytes: 0, memoryLimit: 0,
  };
  // The execution's clock and random stream (host.configure): the same for every replay of
  // one execution, so a script that reads them issues the same tool calls again.
  let clockMs = 0;
  let rngState = [0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x1]; // sfc32 state

  // Intrinsics captured before the script can tamper with them.
  const g = globalThis;
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const create = Object.create;
  const getPrototypeOf = Object.getPrototypeOf;
  const isArray = Array.isArray;
  const arrayFrom = Array.from;
  const apply = Reflect.apply;
  const construct = Reflect.construct;
  const ProxyCtor = Proxy;
  const StringCtor = String;
  const charCodeAt = String.prototype.charCodeAt;
  const toLowerCase = String.prototype.toLowerCase;
  const stringIncludes = String.prototype.includes;
  const arraySort = Array.prototype.sort;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const MapCtor = Map;
  const mapGet = Map.prototype.get;
  const mapSet = Map.prototype.set;
  const mapDelete = Map.prototype.delete;
  const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
  const ArrayBufferCtor = ArrayBuffer;
  const isView = ArrayBuffer.isView;
  const MathMax = Math.max;
  const DateCtor = Date;
  const dateToString = Date.prototype.toString;
  const objectKeys = Object.keys;
  const hasOwn = Object.prototype.hasOwnProperty;

  // ---- what a script must not have --------------------------------------------------------
  // WebAssembly memory, SharedArrayBuffer and Atomics allocate outside the metered paths, and
  // Atomics.waitAsync and FinalizationRegistry run JS outside the host's evaluations.
  for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics', 'FinalizationRegistry']) {
    delete g[name];
  }

  // ---- bridge state ------------------------------------------------------------------------
  const pending = new MapCtor(); // call id -> [resolve, reject]
  const timers = new MapCtor(); // timer id -> [callback, args, due]
  let calls = ''; // JSON entries not yet drained: [id,"identifier",argsJson]
  let logs = ''; // JSON strings
  let done = 'null'; // JSON of the outcome once the script settled
  let nextId = 1;
  let callCount = 0;
  let pinged = false; // the host has been told, or is about to look anyway
  let haltReason = null;
  let logBytes = 0;
  let logsTruncated = false;
  let droppedLines = 0; // console calls not kept once the logs reached maxLogBytes
  let offHeapBytes = 0;

  const ping = (function ping() {
    if (!pinged && haltReason === null) {
      pinged = true;
      notifyWork();
    }
  });

  // Each reason has its own notification: the host must learn it while JS may still be busy.
  function halt(reason) {
    if (haltReason === null) {
      haltReason = reason;
      if (reason === 'memory') notifyMemory();
      else notifyToolCallLimit();
    }
  }

  // ---- off-heap memory meter ---------------------------------------------------------------
  // V8's heap limit does not count ArrayBuffer backing stores, so every way to allocate one is
  // charged here, cumulatively, against the same budget (and so are tool call arguments, which
  // the host holds). Past it the run ends as "memory".
  const charge = (function charge(bytes) {
    const n = +bytes;
    if (!(n > 0)) return;
    offHeapBytes += n;
    if (offHeapBytes > config.memoryLimit) {
      halt('memory');
      throw new RangeErrorCtor('memory limit exceeded by ArrayBuffer/typed array allocations and tool call arguments');
    }
  });

  function toCount(value) {
    const n = +value;
    return n > 0 ? n : 0;
  }

  const typedArrayNames = [
    'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
    'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
    'BigUint64Array',
  ];

  function meterTypedArray(name) {
    const Intrinsic = g[name];
    if (typeof Intrinsic !== 'function') return;
    const width = Intrinsic.BYTES_PER_ELEMENT;
    const meter = new ProxyCtor(Intrinsic, {
      construct(target, args, newTarget) {
        const first = args[0];
        if (first !== null && typeof first === 'object') {
          if (first instanceof ArrayBufferCtor) {
            return construct(target, args, newTarget); // a view: no new memory
          }
          // Materialise iterables and array-likes on the (limited) heap first, so the
          // length we charge for is the length that gets allocated.
          const items = arrayFrom(first);
          charge(items.length * width);
          return construct(target, [items], newTarget);
        }
        charge(toCount(first) * width);
        return construct(target, args, newTarget);
      },
    });
    for (const method of ['fromBase64', 'fromHex']) {
      const original = Intrinsic[method];
      if (typeof original === 'function') {
        defineProperty(Intrinsic, method, {
          value: function (source, ...rest) {
            charge(StringCtor(source).length);
            return apply(original, this, [source, ...rest]);
          },
          writable: true,
          configurable: true,
        });
      }
    }
    defineProperty(g, name, { value: meter, writable: true, configurable: true });
  }
  for (const name of typedArrayNames) meterTypedArray(name);

  // Methods that allocate a fresh backing store the size of their receiver (or less).
  const TypedArrayPrototype = getPrototypeOf(Int8Array.prototype);
  for (const method of ['slice', 'map', 'filter', 'toReversed', 'toSorted', 'with']) {
    const original = TypedArrayPrototype[method];
    if (typeof original !== 'function') continue;
    defineProperty(TypedArrayPrototype, method, {
      value: function (...args) {
        if (isView(this)) charge(this.byteLength);
        return apply(original, this, args);
      },
      writable: true,
      configurable: true,
    });
  }
  const ArrayBufferPrototype = ArrayBufferCtor.prototype;
  for (const method of ['slice', 'transfer', 'transferToFixedLength']) {
    const original = ArrayBufferPrototype[method];
    if (typeof original !== 'function') continue;
    defineProperty(ArrayBufferPrototype, method, {
      value: function (...args) {
        const size = method === 'slice' || args[0] === undefined ? this.byteLength : args[0];
        charge(size);
        return apply(original, this, args);
      },
      writable: true,
      configurable: true,
    });
  }
  defineProperty(g, 'ArrayBuffer', {
    value: new ProxyCtor(ArrayBufferCtor, {
      construct(target, args, newTarget) {
        const options = args[1];
        const max = options !== null && typeof options === 'object' ? options.maxByteLength : 0;
        // A resizable buffer reserves its maximum: charge that up front.
        charge(MathMax(toCount(args[0]), toCount(max)));
        return construct(target, args, newTarget);
      },
    }),
    writable: true,
    configurable: true,
  });
  // ICU objects live outside the V8 heap; charge a flat, generous estimate for each.
  if (typeof Intl === 'object' && Intl !== null) {
    for (const name of Object.getOwnPropertyNames(Intl)) {
      const Intrinsic = Intl[name];
      if (typeof Intrinsic !== 'function' || !Intrinsic.prototype) continue;
      defineProperty(Intl, name, {
        value: new ProxyCtor(Intrinsic, {
          construct(target, args, newTarget) {
            charge(65536);
            return construct(target, args, newTarget);
          },
          apply(target, thisArg, args) {
            charge(65536);
            return apply(target, thisArg, args);
          },
        }),
        writable: true,
        configurable: true,
      });
    }
  }

  // ---- console -----------------------------------------------------------------------------
  // Never throws: a value whose inspection throws (a proxy with throwing traps, a revoked
  // proxy, a throwing toString/toJSON/getter) prints as a placeholder and the script goes on.
  function describe(value) {
    try {
      return describeUnsafe(value);
    } catch (e) {
      return '[unprintable ' + typeof value + ']';
    }
  }

  function describeUnsafe(value) {
    if (typeof value === 'string') return value;
    if (value instanceof ErrorCtor) {
      return StringCtor(value.name) + ': ' + StringCtor(value.message);
    }
    if (typeof value === 'object' && value !== null) {
      try {
        const text = jsonStringify(value);
        if (typeof text === 'string') return text;
      } catch (e) {
        // cycles, BigInt: fall through to String()
      }
    }
    return StringCtor(value);
  }

  // Bytes of `text` as UTF-8 (lone surrogates count as the 3 bytes of U+FFFD).
  function utf8Length(text) {
    let bytes = text.length;
    for (let i = 0; i < text.length; i++) {
      const unit = apply(charCodeAt, text, [i]);
      if (unit < 0x80) continue;
      if (unit < 0x800) bytes += 1;
      else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
        const low = apply(charCodeAt, text, [i + 1]);
        if (low >= 0xdc00 && low < 0xe000) {
          bytes += 2; // 4 bytes for 2 units
          i++;
        } else bytes += 2;
      } else bytes += 2;
    }
    return bytes;
  }

  function log(prefix, args) {
    if (logsTruncated) {
      droppedLines++;
      return;
    }
    let line = prefix;
    for (let i = 0; i < args.length; i++) {
      line += (i > 0 ? ' ' : '') + describe(args[i]);
      if (line.length > config.maxLogBytes) break;
    }
    const size = utf8Length(line) + 1;
    if (logBytes + size > config.maxLogBytes) {
      // The host writes the marker line, with the count, once the run is over.
      logsTruncated = true;
      droppedLines++;
      return;
    }
    logBytes += size;
    logs += (logs ? ',' : '') + jsonStringify(line);
  }

  const consoleObject = create(null);
  for (const [level, prefix] of [
    ['log', ''], ['info', ''], ['debug', ''], ['warn', '[warn] '], ['error', '[error] '],
  ]) {
    consoleObject[level] = function (...args) {
      log(prefix, args);
    };
  }
  defineProperty(g, 'console', { value: freeze(consoleObject), writable: true, configurable: true });

  // ---- timers ------------------------------------------------------------------------------
  // The queue lives here, as a binary heap ordered by (due, id); the host only learns the
  // earliest due time (in each drain) and posts host.fire(due) when it comes. A script that
  // sets many timers costs the host nothing per timer, and at most MAX_PENDING_TIMERS wait.
  const MAX_PENDING_TIMERS = 10000;
  const heap = create(null); // index -> [due, id]; null prototype: no inherited setters
  let heapSize = 0;
  function heapBefore(a, b) {
    return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  }
  function heapPush(entry) {
    let i = heapSize++;
    heap[i] = entry;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!heapBefore(heap[i], heap[parent])) break;
      const swap = heap[parent]; heap[parent] = heap[i]; heap[i] = swap;
      i = parent;
    }
  }
  function heapPop() {
    const top = heap[0];
    heapSize--;
    heap[0] = heap[heapSize];
    delete heap[heapSize];
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heapSize && heapBefore(heap[left], heap[least])) least = left;
      if (right < heapSize && heapBefore(heap[right], heap[least])) least = right;
      if (least === i) break;
      const swap = heap[least]; heap[least] = heap[i]; heap[i] = swap;
      i = least;
    }
    return top;
  }
  // The earliest due time of a timer still pending (cleared ones are dropped lazily here).
  const nextDue = (function nextDue() {
    while (heapSize > 0 && apply(mapGet, timers, [heap[0][1]]) === undefined) heapPop();
    return heapSize > 0 ? heap[0][0] : null;
  });
  defineProperty(g, 'setTimeout', {
    value: function setTimeout(callback, delay, ...args) {
      if (typeof callback !== 'function') {
        throw new TypeErrorCtor('setTimeout expects a function');
      }
      if (apply(mapSize, timers, []) >= MAX_PENDING_TIMERS || heapSize >= 2 * MAX_PENDING_TIMERS) {
        nextDue();
        if (apply(mapSize, timers, []) >= MAX_PENDING_TIMERS) {
          throw new RangeErrorCtor('too many pending timers (' + MAX_PENDING_TIMERS +
            '): clear the timers you no longer need, or wait for some before setting more');
        }
      }
      const id = nextId++;
      const due = clockMs + toCount(delay);
      apply(mapSet, timers, [id, [callback, args, due]]);
      heapPush([due, id]);
      ping();
      return id;
    },
    writable: true,
    configurable: true,
  });
  defineProperty(g, 'clearTimeout', {
    value: function clearTimeout(id) {
      apply(mapDelete, timers, [id]);
    },
    writable: true,
    configurable: true,
  });

  // ---- time and randomness -----------------------------------------------------------------
  // Time starts at the execution's start and moves only when a timer fires (to its due time),
  // so `Date.now()` never depends on how long a tool took. Math.random is a seeded sfc32.
  function now() {
    return clockMs;
  }
  const DateProxy = new ProxyCtor(DateCtor, {
    construct(target, args, newTarget) {
      return construct(target, args.length === 0 ? [now()] : args, newTarget);
    },
    apply() {
      return apply(dateToString, construct(DateCtor, [now()]), []);
    },
  });
  defineProperty(DateCtor, 'now', {
    value: function now_() { return now(); }, writable: true, configurable: true,
  });
  defineProperty(DateCtor.prototype, 'constructor', {
    value: DateProxy, writable: true, configurable: true,
  });
  defineProperty(g, 'Date', { value: DateProxy, writable: true, configurable: true });
  const random = (function random() {
    let [a, b, c, d] = rngState;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    rngState = [a, b, c, d];
    return (t >>> 0) / 4294967296;
  });
  defineProperty(Math, 'random', {
    value: function random_() { return random(); }, writable: true, configurable: true,
  });

  // ---- workspace ---------------------------------------------------------------------------
  // Per-thread JSON values kept between executions (host.configure brings the current ones).
  // Values are stored as JSON text, so what a script reads back is a copy; the changes leave
  // with the outcome, and only a successful run's changes are kept.
  let workspaceData = null; // key -> JSON text
  let workspaceChanges = null; // key -> JSON text, or null once deleted
  let workspaceBytes = 0; // of all the values, as JSON: at most maxValueBytes
  function workspaceKey(key) {
    if (typeof key !== 'string' || key.length === 0) {
      throw new TypeErrorCtor('workspace keys are non-empty strings');
    }
    return key;
  }
  const workspace = freeze({
    get(key) {
      key = workspaceKey(key);
      if (!apply(hasOwn, workspaceData, [key])) return undefined;
      return jsonParse(workspaceData[key]);
    },
    set(key, value) {
      key = workspaceKey(key);
      if (value === undefined || value === null) {
        return workspace.delete(key);
      }
      let text;
      try {
        text = jsonStringify(value);
      } catch (e) {
        throw new TypeErrorCtor('workspace.set: the value cannot be converted to JSON (' +
          describe(e) + ')');
      }
      if (text === undefined) {
        throw new TypeErrorCtor('workspace.set: the value cannot be converted to JSON');
      }
      const before = apply(hasOwn, workspaceData, [key]) ? workspaceData[key].length : 0;
      if (workspaceBytes - before + text.length > config.maxValueBytes) {
        throw new RangeErrorCtor('workspace.set: the workspace would hold more than ' +
          config.maxValueBytes + ' bytes of JSON; delete keys or store less');
      }
      workspaceBytes += text.length - before;
      workspaceData[key] = text;
      workspaceChanges[key] = text;
      return true;
    },
    delete(key) {
      key = workspaceKey(key);
      const had = apply(hasOwn, workspaceData, [key]);
      if (had) workspaceBytes -= workspaceData[key].length;
      delete workspaceData[key];
      workspaceChanges[key] = null;
      return had;
    },
    keys() {
      return objectKeys(workspaceData).sort();
    },
  });
  const workspaceOutcome = (function workspaceOutcome() {
    if (workspaceChanges === null) return '';
    let text = '';
    for (const key of objectKeys(workspaceChanges)) {
      const value = workspaceChanges[key];
      text += (text ? ',' : '') + jsonStringify(key) + ':' + (value === null ? 'null' : value);
    }
    return ',"workspace":{' + text + '}';
  });

  // ---- tools -------------------------------------------------------------------------------
  const makeTool = (function makeTool(identifier) {
    const label = 'tools.' + identifier;
    return (function (args) {
      if (args === undefined) args = {};
      if (args === null || typeof args !== 'object' || isArray(args)) {
        return PromiseCtor.reject(new TypeErrorCtor(
          label + ' takes one object argument, e.g. ' + label + '({ ... })'));
      }
      let argsJson;
      try {
        argsJson = jsonStringify(args);
      } catch (e) {
        return PromiseCtor.reject(new TypeErrorCtor(
          label + ': the arguments cannot be converted to JSON (' + describe(e) + ')'));
      }
      if (argsJson.length > config.maxValueBytes) {
        return PromiseCtor.reject(new RangeErrorCtor(
          label + ': the arguments are larger than ' + config.maxValueBytes + ' bytes'));
      }
      // Arguments leave the isolate and are held by the host (as text, then decoded) while
      // the call runs: they count twice their size against the same budget as ArrayBuffers,
      // so a script cannot fill the host's memory through the outbox either.
      try {
        charge(2 * argsJson.length);
      } catch (e) {
        return PromiseCtor.reject(e);
      }
      callCount++;
      if (callCount > config.maxToolCalls) {
        halt('tool_call_limit');
        return PromiseCtor.reject(new RangeErrorCtor(
          'tool call limit of ' + config.maxToolCalls + ' reached'));
      }
      const id = nextId++;
      calls += (calls ? ',' : '') + '[' + id + ',' + jsonStringify(identifier) + ',' +
        jsonStringify(argsJson) + ']';
      ping();
      const site = new ErrorCtor(); // where the script called: the line of a rejection
      return new PromiseCtor((resolve, reject) => {
        apply(mapSet, pending, [id, [resolve, reject, site]]);
      });
    });
  });

  // ---- unknown tools -----------------------------------------------------------------------
  // `tools` (and each namespace) is a proxy whose unknown names throw a TypeError saying there
  // is no such tool, the closest names, and how to list them, instead of V8's
  // "tools.x is not a function". Names that generic code probes on any object (await, JSON,
  // printing) read as undefined, as on a plain object.
  const probes = create(null);
  for (const name of ['then', 'toJSON', 'toString', 'valueOf', 'constructor', 'inspect',
    'length', 'prototype', '__proto__', 'nodeType', 'asymmetricMatch', '$$typeof']) {
    probes[name] = true;
  }

  function editDistance(a, b) {
    let previous = create(null);
    for (let j = 0; j <= b.length; j++) previous[j] = j;
    for (let i = 1; i <= a.length; i++) {
      const current = create(null);
      current[0] = i;
      const ca = apply(charCodeAt, a, [i - 1]);
      for (let j = 1; j <= b.length; j++) {
        const cost = ca === apply(charCodeAt, b, [j - 1]) ? 0 : 1;
        let best = previous[j] + 1;
        if (current[j - 1] + 1 < best) best = current[j - 1] + 1;
        if (previous[j - 1] + cost < best) best = previous[j - 1] + cost;
        current[j] = best;
      }
      previous = current;
    }
    return previous[b.length];
  }

  function noSuchTool(prefix, key, names, hasSearch) {
    const wanted = apply(toLowerCase, key, []);
    const scored = [];
    let count = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const lower = apply(toLowerCase, name, []);
      let distance = editDistance(wanted, lower);
      if (wanted.length >= 3 && (apply(stringIncludes, lower, [wanted]) ||
          apply(stringIncludes, wanted, [lower]))) {
        distance = distance < 1 ? distance : 1;
      }
      const limit = MathMax(2, (wanted.length / 3) | 0);
      if (distance <= limit) scored[count++] = [distance, name];
    }
    let text = 'There is no tool ' + prefix + '.' + key + '.';
    if (count > 0) {
      apply(arraySort, scored, [(x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1)]);
      let closest = '';
      for (let i = 0; i < count && i < 3; i++) {
        closest += (i > 0 ? ', ' : '') + prefix + '.' + scored[i][1];
      }
      text += ' Closest: ' + closest + '.';
    }
    text += ' List the tools with Object.keys(' + prefix + ')';
    if (hasSearch) text += " or find one with tools.$search('what it does')";
    return text + '; the declarations show each one\'s arguments.';
  }

  const guardTools = (function guardTools(target, prefix, hasSearch) {
    return new ProxyCtor(target, {
      get: (function get(t, key) {
        if (typeof key !== 'string' || apply(hasOwn, t, [key]) || probes[key] === true) {
          return t[key];
        }
        throw new TypeErrorCtor(noSuchTool(prefix, key, objectKeys(t), hasSearch));
      }),
    });
  });

  let configured = false;
  const configure = (function configure(configJson) {
    if (configured) return;
    configured = true;
    const settings = jsonParse(configJson);
    config.maxToolCalls = settings.maxToolCalls;
    config.maxValueBytes = settings.maxValueBytes;
    config.maxLogBytes = settings.maxLogBytes;
    config.memoryLimit = settings.memoryLimit;
    clockMs = +settings.clockMs || 0;
    const seed = settings.seed >>> 0;
    rngState = [0x9e3779b9, seed, 0xb7e15162 ^ seed, 1];
    for (let i = 0; i < 12; i++) random();
    if (settings.workspace !== null && typeof settings.workspace === 'object') {
      workspaceData = create(null);
      workspaceChanges = create(null);
      for (const key of objectKeys(settings.workspace)) {
        workspaceData[key] = jsonStringify(settings.workspace[key]);
        workspaceBytes += workspaceData[key].length;
      }
      defineProperty(g, 'workspace', { value: workspace, writable: false, configurable: false });
    }
    const tools = create(null);
    const namespaces = create(null);
    for (const identifier of settings.identifiers) {
      const dot = identifier.indexOf('.');
      if (identifier === '$search') {
        const search = makeTool(identifier);
        tools.$search = (query, limit) => search({ query: query, limit: limit });
      } else if (identifier === '$describe') {
        const describeTool = makeTool(identifier);
        tools.$describe = (name) => describeTool({ name: name });
      } else if (dot < 0) {
        tools[identifier] = makeTool(identifier);
      } else {
        // "server.tool": a namespaced tool, called as tools.server.tool(...)
        const namespace = identifier.slice(0, dot);
        if (!namespaces[namespace]) namespaces[namespace] = tools[namespace] = create(null);
        namespaces[namespace][identifier.slice(dot + 1)] = makeTool(identifier);
      }
    }
    for (const namespace in namespaces) {
      tools[namespace] = guardTools(freeze(namespaces[namespace]), 'tools.' + namespace, false);
    }
    defineProperty(g, 'tools', {
      value: guardTools(freeze(tools), 'tools', apply(hasOwn, tools, ['$search'])),
      writable: false,
      configurable: false,
    });
  });

  // ---- outcome -----------------------------------------------------------------------------
  function errorInfo(error) {
    const info = create(null);
    try {
      if (error instanceof ErrorCtor) {
        info.name = StringCtor(error.name);
        info.message = StringCtor(error.message);
        info.stack = typeof error.stack === 'string' ? error.stack : '';
      } else {
        info.name = 'thrown';
        info.message = describe(error);
        info.stack = '';
      }
    } catch (e) {
      info.name = 'thrown';
      info.message = '[an unprintable value]';
      info.stack = '';
    }
    return '{"name":' + jsonStringify(info.name) + ',"message":' + jsonStringify(info.message) +
      ',"stack":' + jsonStringify(info.stack) + '}';
  }

  const finish = (function finish(outcome) {
    if (done === 'null') {
      done = outcome;
      ping();
    }
  });

  const succeed = (function succeed(value) {
    let text;
    try {
      text = jsonStringify(value);
    } catch (e) {
      finish('{"ok":false,"kind":"output","error":' + errorInfo(e) + '}');
      return;
    }
    if (text === undefined) text = 'null';
    if (text.length > config.maxValueBytes) {
      finish('{"ok":false,"kind":"output_limit","size":' + text.length + '}');
      return;
    }
    finish('{"ok":true,"value":' + jsonStringify(text) + workspaceOutcome() + '}');
  });

  function fail(error) {
    finish('{"ok":false,"kind":"runtime","error":' + errorInfo(error) + '}');
  }

  // The stack frames of a call site (its first line, the site's own "Error", left out); a
  // script's Error.prepareStackTrace may throw or return anything.
  function callSite(site) {
    try {
      const stack = site.stack;
      const start = typeof stack === 'string' ? stack.indexOf('\n') : -1;
      return start < 0 ? '' : stack.slice(start);
    } catch (e) {
      return '';
    }
  }

  // ---- the host's side ---------------------------------------------------------------------
  const host = freeze({
    configure,
    start: (function start(main) {
      // The host drains right after this evaluation, as after settle() and fire().
      pinged = true;
      let promise;
      try {
        promise = main();
      } catch (e) {
        fail(e);
        return;
      }
      apply(promiseThen, PromiseCtor.resolve(promise), [succeed, fail]);
    }),
    drain: (function drain() {
      const due = nextDue();
      const out = '{"calls":[' + calls + '],"logs":[' + logs + '],"dropped":' + droppedLines +
        ',"timer":' + (due === null ? 'null' : due - clockMs) + ',"timerDue":' + due +
        ',"done":' + done + ',"halt":' + jsonStringify(haltReason) + '}';
      calls = '';
      logs = '';
      pinged = false;
      return out;
    }),
    settle: (function settle(entries) {
      // The host drains right after this evaluation: pushes made by continuations need no ping.
      pinged = true;
      // [[id, ok, text], ...] as an array literal; anything else (a script calling this
      // itself) settles nothing.
      const list = isArray(entries) ? entries : [];
      for (let i = 0; i < list.length; i++) {
        const [id, ok, payload] = list[i];
        const resolvers = apply(mapGet, pending, [id]);
        if (resolvers === undefined) continue;
        apply(mapDelete, pending, [id]);
        if (ok) {
          resolvers[0](jsonParse(payload));
        } else {
          const error = new ErrorCtor(payload);
          error.stack = 'Error: ' + payload + callSite(resolvers[2]);
          resolvers[1](error);
        }
      }
    }),
    // Fire, in (due, id) order, every timer due by `upTo` that was set before this call;
    // timers the callbacks set wait for the next fire, so one evaluation always ends.
    fire(upTo) {
      pinged = true;
      const lastId = nextId - 1;
      const held = create(null);
      let heldCount = 0;
      while (heapSize > 0 && heap[0][0] <= upTo) {
        const entry = heapPop();
        if (entry[1] > lastId) {
          held[heldCount++] = entry;
          continue;
        }
        const timer = apply(mapGet, timers, [entry[1]]);
        if (timer === undefined) continue;
        apply(mapDelete, timers, [entry[1]]);
        if (timer[2] > clockMs) clockMs = timer[2];
        try {
          apply(timer[0], undefined, timer[1]);
        } catch (e) {
          fail(e); // an uncaught error in a timer callback ends the script, as in Node
          break;
        }
        if (done !== 'null') break;
      }
      for (let i = 0; i < heldCount; i++) heapPush(held[i]);
    },
  });
  defineProperty(g, hostName, { value: host, enumerable: false, writable: false,
    configurable: false });
})
