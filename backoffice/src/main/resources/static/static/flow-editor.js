// The flow editor: CodeMirror on the flow's YAML, the validator's issues as gutter markers at their line and column,
// completion from the flows' JSON Schema, and save / publish / discard through /api/v1/flows.
(function () {
  'use strict';

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute('content') : null;
  }

  function words(key, args) {
    var item = document.querySelector('#flow-words li[data-key="' + key + '"]');
    var text = item ? item.textContent : key;
    (args || []).forEach(function (value, i) {
      text = text.replace('{' + i + '}', String(value));
    });
    return text;
  }

  function request(method, url, body, type) {
    var headers = { 'Accept': 'application/json' };
    headers[meta('_csrf_header') || 'X-CSRF-TOKEN'] = meta('_csrf');
    if (body !== undefined) {
      headers['Content-Type'] = type;
    }
    return fetch(url, { method: method, headers: headers, body: body, credentials: 'same-origin' })
      .then(function (r) {
        return r.text().then(function (text) {
          var json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          return { status: r.status, ok: r.ok, json: json };
        });
      });
  }

  // Every property name and enum value of the schema: what Ctrl+Space offers.
  function schemaWords(schema) {
    var found = {};
    (function walk(node) {
      if (!node || typeof node !== 'object') {
        return;
      }
      if (node.properties) {
        Object.keys(node.properties).forEach(function (k) { found[k] = true; });
      }
      if (Array.isArray(node.enum)) {
        node.enum.forEach(function (v) { if (typeof v === 'string') { found[v] = true; } });
      }
      Object.keys(node).forEach(function (k) { walk(node[k]); });
    })(schema);
    return Object.keys(found).sort();
  }

  document.addEventListener('DOMContentLoaded', function () {
    var area = document.getElementById('flow-yaml');
    if (!area || typeof CodeMirror === 'undefined') {
      return;
    }
    var flow = area.getAttribute('data-flow');
    // The revision the editor began from: a publish is refused if someone else changed the flow since.
    var base = area.getAttribute('data-base');
    var status = document.getElementById('flow-status');
    var list = document.getElementById('flow-issues');
    var annotations = [];
    var vocabulary = [];

    var editor = CodeMirror.fromTextArea(area, {
      mode: 'yaml', lineNumbers: true, indentUnit: 2, tabSize: 2, lineWrapping: false,
      gutters: ['CodeMirror-lint-markers', 'CodeMirror-linenumbers'],
      lint: { getAnnotations: function () { return annotations; }, lintOnChange: false },
      extraKeys: {
        'Ctrl-Space': function (cm) {
          cm.showHint({ completeSingle: false, hint: function (ed) {
            var cursor = ed.getCursor();
            var token = ed.getTokenAt(cursor);
            var start = token.start;
            var prefix = token.string.slice(0, cursor.ch - start).replace(/^[\s-]+/, '');
            start = cursor.ch - prefix.length;
            return { list: vocabulary.filter(function (w) { return w.indexOf(prefix) === 0; }),
              from: CodeMirror.Pos(cursor.line, start), to: cursor };
          } });
        },
        Tab: function (cm) { cm.replaceSelection('  '); }
      }
    });
    editor.setSize(null, '60vh');
    window.civicbotFlowEditor = editor;

    request('GET', '/api/v1/flows/schema.json').then(function (r) {
      if (r.ok) {
        vocabulary = schemaWords(r.json);
      }
    });

    function show(issues) {
      // Markers for this file's issues; the list below has every file's (a change here can break another flow).
      annotations = issues.filter(function (i) { return i.file === flow + '.yaml'; }).map(function (i) {
        var line = Math.max(0, i.line - 1);
        var ch = Math.max(0, i.column - 1);
        return { from: CodeMirror.Pos(line, ch), to: CodeMirror.Pos(line, ch + 1),
          message: '[' + i.rule + '] ' + i.message, severity: i.severity === 'error' ? 'error' : 'warning' };
      });
      editor.performLint();
      list.textContent = '';
      issues.forEach(function (i) {
        var li = document.createElement('li');
        li.className = 'flow-issue ' + i.severity;
        li.setAttribute('data-line', String(i.line));
        li.setAttribute('data-file', i.file);
        var link;
        if (i.file === flow + '.yaml') {
          link = document.createElement('button');
          link.type = 'button';
          link.className = 'link-button';
          link.addEventListener('click', function () {
            editor.setCursor(CodeMirror.Pos(i.line - 1, Math.max(0, i.column - 1)));
            editor.scrollIntoView(null, 120);
            editor.focus();
          });
        } else {
          // Another file's issue: its own page.
          link = document.createElement('a');
          link.href = '/flows?flow=' + encodeURIComponent(i.file.replace(/\.yaml$/, ''));
        }
        link.textContent = i.file + ':' + i.line + ':' + i.column;
        li.appendChild(link);
        li.appendChild(document.createTextNode(' ' + i.severity + ' [' + i.rule + '] ' + i.message));
        list.appendChild(li);
      });
      var first = issues.filter(function (i) { return i.severity === 'error' && i.file === flow + '.yaml'; })[0];
      if (first) {
        editor.scrollIntoView(CodeMirror.Pos(first.line - 1, 0), 120);
      }
    }

    function say(text, className) {
      status.textContent = text;
      status.className = 'flow-status ' + (className || '');
    }

    document.getElementById('flow-save').addEventListener('click', function () {
      request('PUT', '/api/v1/flows/' + flow + (base ? '?base=' + base : ''), editor.getValue(),
        'text/yaml;charset=UTF-8').then(function (r) {
        if (!r.ok) {
          say((r.json && r.json.detail) || String(r.status), 'bad');
          return;
        }
        show(r.json.issues);
        var live = r.json.liveSessions;
        say(words('saved') + ' ' + words(r.json.valid ? 'valid' : 'invalid')
          + (live ? ' ' + words('live', [live.inFlow, live.onRemovedNodes, live.onChangedNodes]) : ''), r.json.valid ? 'good' : 'bad');
        document.body.setAttribute('data-saved', String(Number(document.body.getAttribute('data-saved') || 0) + 1));
        var restart = document.getElementById('try-restart');
        if (restart) {
          restart.click();
        }
      });
    });

    var tests = document.getElementById('test-list');

    function listTests(results) {
      request('GET', '/api/v1/flows/tests').then(function (r) {
        if (!r.ok) {
          return;
        }
        tests.textContent = '';
        r.json.forEach(function (test) {
          var li = document.createElement('li');
          li.className = 'test';
          li.setAttribute('data-id', test.id);
          var result = (results || []).filter(function (x) { return x.id === test.id; })[0];
          li.textContent = test.name + ' (' + test.steps.length + ')';
          if (result) {
            li.className += result.passed ? ' passed' : ' failed';
            li.textContent += ' · ' + words(result.passed ? 'testPasses' : 'testFailsShort');
          }
          tests.appendChild(li);
        });
      });
    }

    function failures(results) {
      list.textContent = '';
      results.forEach(function (t) {
        var li = document.createElement('li');
        li.className = 'flow-issue error test-failure';
        li.textContent = words('testFails', [t.name, t.step, (t.expected || []).join(' / '),
          (t.actual || []).join(' / ')]);
        list.appendChild(li);
      });
    }

    listTests();
    document.getElementById('tests-run').addEventListener('click', function () {
      request('POST', '/api/v1/flows/tests/run', JSON.stringify({ flows: 'drafts' }), 'application/json')
        .then(function (r) {
          if (r.ok) {
            listTests(r.json);
            failures(r.json.filter(function (t) { return !t.passed; }));
          }
        });
    });
    document.getElementById('test-record').addEventListener('click', function () {
      var transcript = window.civicbotTrySteps ? window.civicbotTrySteps() : { steps: [] };
      var name = document.getElementById('test-name').value;
      request('POST', '/api/v1/flows/tests', JSON.stringify({ name: name, language: transcript.language,
        steps: transcript.steps, flows: 'drafts' }), 'application/json').then(function (r) {
        if (r.ok) {
          say(words('recorded', [r.json.name]), 'good');
          listTests();
        } else {
          say((r.json && r.json.detail) || String(r.status), 'bad');
        }
      });
    });

    // What a publish (or a restore) sends: the comment, and an admin's reason to pass failing tests.
    function publishBody() {
      var overrideInput = document.getElementById('flow-override');
      var body = { comment: document.getElementById('flow-comment').value };
      if (overrideInput && overrideInput.value.trim()) {
        body.override = overrideInput.value.trim();
      }
      return JSON.stringify(body);
    }

    // A refused publish or restore: the failing tests, or the errors at their lines.
    function refusedPublish(r) {
      if (r.status === 422 && r.json.failedTests) {
        failures(r.json.failedTests);
        listTests(r.json.failedTests);
        say(words('testsFailed'), 'bad');
      } else if (r.status === 422) {
        show(r.json.issues);
        say(words('refused'), 'bad');
      } else {
        say((r.json && r.json.detail) || String(r.status), 'bad');
      }
    }

    // The history: a revision compared with the draft (or what is published), a line each, + added and - removed.
    var diffBox = document.getElementById('flow-diff-box');
    function showDiff(d) {
      var pre = document.getElementById('flow-diff');
      pre.textContent = '';
      d.lines.forEach(function (line) {
        var span = document.createElement('span');
        span.className = line.indexOf('@@') === 0 ? 'diff-hunk' : line.indexOf('+++') === 0 || line.indexOf('---') === 0
          ? 'diff-file' : line.charAt(0) === '+' ? 'diff-add' : line.charAt(0) === '-' ? 'diff-del' : 'diff-same';
        span.textContent = line + '\n';
        pre.appendChild(span);
      });
      document.getElementById('flow-diff-summary').textContent = d.lines.length === 0 ? words('same')
        : words('changes', [d.added, d.removed]);
      diffBox.hidden = false;
      diffBox.scrollIntoView({ block: 'nearest' });
    }
    Array.prototype.forEach.call(document.querySelectorAll('.revision-compare'), function (button) {
      button.addEventListener('click', function () {
        var from = button.getAttribute('data-from');
        var url = '/api/v1/flows/' + flow + '/diff?from=' + from + '&to=';
        request('GET', url + 'draft').then(function (r) {
          return r.status === 404 ? request('GET', url + 'published') : r;
        }).then(function (r) {
          if (r.ok) {
            showDiff(r.json);
          } else {
            say((r.json && r.json.detail) || String(r.status), 'bad');
          }
        });
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('.revision-restore'), function (button) {
      button.addEventListener('click', function () {
        // Asked once more in the same place: the button becomes "Yes, publish revision n again".
        var confirm = button.parentNode.querySelector('.revision-confirm');
        button.hidden = true;
        confirm.hidden = false;
        confirm.focus();
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('.revision-confirm'), function (button) {
      button.addEventListener('click', function () {
        var number = button.getAttribute('data-number');
        request('POST', '/api/v1/flows/' + flow + '/revisions/' + number + '/publish', publishBody(), 'application/json')
          .then(function (r) {
            if (r.ok) {
              window.location.assign('/flows?flow=' + encodeURIComponent(flow) + '&restored=' + number + '&as='
                + r.json.revision);
            } else {
              button.hidden = true;
              button.parentNode.querySelector('.revision-restore').hidden = false;
              refusedPublish(r);
            }
          });
      });
    });
    var params = new URLSearchParams(window.location.search);
    if (params.get('restored') && params.get('as')) {
      say(words('restored', [params.get('restored'), params.get('as')]), 'good');
    }

    document.getElementById('flow-publish').addEventListener('click', function () {
      request('POST', '/api/v1/flows/' + flow + '/publish', publishBody(), 'application/json')
        .then(function (r) {
          if (r.ok) {
            say(words('published', [r.json.revision]), 'good');
            base = String(r.json.revision);
            show([]);
            listTests();
          } else {
            refusedPublish(r);
          }
        });
    });

    document.getElementById('flow-discard').addEventListener('click', function () {
      request('DELETE', '/api/v1/flows/' + flow + '/draft').then(function () {
        window.location.reload();
      });
    });
  });
})();
