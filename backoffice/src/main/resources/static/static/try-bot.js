// "Try the bot": a conversation with /api/v1/simulator, shown as WhatsApp (numbered text) or Telegram (buttons).
(function () {
  'use strict';

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute('content') : null;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var chat = document.getElementById('try-chat');
    if (!chat) {
      return;
    }
    var form = document.getElementById('try-form');
    var input = document.getElementById('try-text');
    var error = document.getElementById('try-error');
    var language = document.getElementById('try-language');
    var flows = document.getElementById('try-flows');
    var state = null;
    var busy = false;
    // What the citizen said since the conversation began: what a conversation test replays.
    var steps = [];
    // The language the conversation began in: a test replays it from there, whatever it switched to.
    var startLanguage = language.value;
    window.civicbotTrySteps = function () {
      return { language: startLanguage, steps: steps.slice() };
    };

    function channel() {
      return document.getElementById('channel-telegram').checked ? 'TELEGRAM' : 'WHATSAPP';
    }

    function actionName(type) {
      var item = document.querySelector('#try-actions li[data-type="' + type + '"]');
      return item ? item.textContent : type;
    }

    function bubble(className, text) {
      var li = document.createElement('li');
      li.className = 'try-bubble ' + className;
      var p = document.createElement('p');
      p.className = 'try-bubble-text';
      p.textContent = text;
      li.appendChild(p);
      chat.appendChild(li);
      li.scrollIntoView({ block: 'end' });
      return li;
    }

    // As the WhatsApp sender writes a menu: the text, a blank line, one numbered line per option.
    function whatsapp(reply) {
      var text = reply.text;
      if (reply.options.length) {
        text += '\n';
        reply.options.forEach(function (option, i) {
          text += '\n' + (i + 1) + '. ' + option;
        });
      }
      return text;
    }

    function show(answer) {
      answer.replies.forEach(function (reply) {
        if (channel() === 'WHATSAPP') {
          bubble('bot', whatsapp(reply));
          return;
        }
        var li = bubble('bot', reply.text);
        if (reply.options.length) {
          var buttons = document.createElement('div');
          buttons.className = 'try-bubble-buttons';
          reply.options.forEach(function (option, i) {
            var button = document.createElement('button');
            button.type = 'button';
            button.className = 'option-button';
            button.textContent = option;
            button.addEventListener('click', function () {
              send({ choice: (reply.menu ? reply.menu + '|' : '') + (i + 1) }, option);
            });
            buttons.appendChild(button);
          });
          li.appendChild(buttons);
        }
      });
      answer.actions.forEach(function (action) {
        bubble('action', actionName(action.type) + (action.detail ? ': ' + action.detail : ''));
      });
      if (answer.language && language.value !== answer.language) {
        language.value = answer.language;
      }
    }

    function send(message, shown) {
      if (busy) {
        return;
      }
      busy = true;
      error.hidden = true;
      bubble('citizen', shown);
      var body = Object.assign({ state: state, language: language.value,
        flows: flows ? flows.value : 'published' }, message);
      var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
      headers[meta('_csrf_header') || 'X-CSRF-TOKEN'] = meta('_csrf');
      fetch('/api/v1/simulator', { method: 'POST', headers: headers, body: JSON.stringify(body),
        credentials: 'same-origin' })
        .then(function (r) {
          return r.json().then(function (json) { return { ok: r.ok, json: json }; });
        })
        .then(function (result) {
          if (!result.ok) {
            var issues = result.json.issues || [];
            error.textContent = (result.json.detail || '') + issues.map(function (i) {
              return i.file + ':' + i.line + ':' + i.column + ' ' + i.message;
            }).join('\n');
            error.hidden = false;
            return;
          }
          state = result.json.state;
          steps.push(message);
          show(result.json);
          chat.setAttribute('data-turns', String(Number(chat.getAttribute('data-turns') || '0') + 1));
        })
        .catch(function () {
          error.textContent = '…';
          error.hidden = false;
        })
        .then(function () {
          busy = false;
        });
    }

    function restart() {
      state = null;
      steps = [];
      startLanguage = language.value;
      chat.textContent = '';
      chat.setAttribute('data-turns', '0');
      input.focus();
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) {
        return;
      }
      input.value = '';
      send({ text: text }, text);
    });
    document.getElementById('try-location').addEventListener('click', function (event) {
      var b = event.currentTarget;
      send({ latitude: parseFloat(b.getAttribute('data-lat')), longitude: parseFloat(b.getAttribute('data-lng')) },
        '📍 ' + b.textContent);
    });
    document.getElementById('try-restart').addEventListener('click', restart);
    Array.prototype.forEach.call(document.querySelectorAll('input[name=channel]'), function (radio) {
      radio.addEventListener('change', restart);
    });
    language.addEventListener('change', restart);
    if (flows) {
      flows.addEventListener('change', restart);
    }
  });
})();
