// The announcement form's preview: the text in the chosen language, framed as the flows frame it
// (commands.notices.announcement: {topic}, {text}), with the link, as WhatsApp and Telegram show it.
// Built with text nodes only: what staff type is never read as HTML.
(function () {
  const form = document.getElementById('announce');
  const preview = document.querySelector('.preview');
  if (!form || !preview) {
    return;
  }
  let lang = 'ca';

  /** Appends text to a bubble, *bold* as bold, lines as lines. */
  function render(bubble, text) {
    bubble.replaceChildren();
    text.split('\n').forEach(function (line, i) {
      if (i > 0) {
        bubble.appendChild(document.createElement('br'));
      }
      line.split(/(\*[^*\n]+\*)/).forEach(function (part) {
        if (/^\*[^*\n]+\*$/.test(part)) {
          const strong = document.createElement('strong');
          strong.textContent = part.slice(1, -1);
          bubble.appendChild(strong);
        } else if (part) {
          bubble.appendChild(document.createTextNode(part));
        }
      });
    });
  }

  function update() {
    const topic = form.querySelector('#announce-topic');
    const option = topic.options[topic.selectedIndex];
    const label = option ? (option.dataset[lang] || option.textContent) : '';
    const text = form.querySelector('#announce-text-' + lang).value;
    const link = form.querySelector('#announce-link').value.trim();
    const frame = preview.dataset['frame' + lang.charAt(0).toUpperCase() + lang.slice(1)] || '{text}';
    let message = frame.split('{topic}').join(label).split('{text}').join(text);
    if (link) {
      message += '\n' + link;
    }
    render(document.getElementById('preview-whatsapp'), message);
    render(document.getElementById('preview-telegram'), message);
  }

  preview.querySelectorAll('.preview-lang').forEach(function (button) {
    button.addEventListener('click', function () {
      lang = button.dataset.lang;
      preview.querySelectorAll('.preview-lang').forEach(function (b) {
        b.classList.toggle('current', b === button);
        b.setAttribute('aria-pressed', b === button ? 'true' : 'false');
      });
      update();
    });
  });
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
})();
