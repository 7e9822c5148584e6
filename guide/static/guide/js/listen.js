// Listen: the recorded audio for the page's language when the stop has one
// (an `audio` list of {language, url} on the stop or site), else the
// browser's speech synthesis reading the transcript shown on screen.
import { t } from './i18n.js';

const VOICE_LANG = { tr: 'tr-TR', en: 'en-GB', de: 'de-DE' };

export function recordedAudio(item, lang) {
  const audio = item?.audio || [];
  return audio.find((entry) => entry.language === lang) || null;
}

// A player for `text` (or `recording`); returns {play, stop, element}.
export function player({ text, recording, lang, onState = () => {} }) {
  if (recording) {
    const element = new Audio(recording.url);
    element.preload = 'auto';
    element.id = 'listen-audio';
    element.hidden = true;
    document.body.append(element);
    element.addEventListener('ended', () => onState(false));
    return {
      element,
      async play() { await element.play(); onState(true); },
      stop() { element.pause(); onState(false); },
    };
  }
  if (!('speechSynthesis' in window)) return null;
  return {
    element: null,
    play() {
      window.speechSynthesis.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = VOICE_LANG[lang] || lang;
      const voice = window.speechSynthesis.getVoices().find((v) => v.lang.startsWith(lang));
      if (voice) utterance.voice = voice;
      utterance.addEventListener('end', () => onState(false));
      utterance.addEventListener('error', () => onState(false));
      window.speechSynthesis.speak(utterance);
      onState(true);
    },
    stop() { window.speechSynthesis.cancel(); onState(false); },
  };
}

// Wires the Listen button of a stop screen.
export function listenButton({ button, status, text, recording, lang }) {
  const audio = player({
    text,
    recording,
    lang,
    onState(playing) {
      button.setAttribute('aria-pressed', String(playing));
      button.textContent = playing ? t('stop_listening') : t('listen');
    },
  });
  if (!audio) {
    status.textContent = t('no_speech');
    return null;
  }
  button.hidden = false;
  button.dataset.source = recording ? 'recording' : 'speech';
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-pressed') === 'true') audio.stop();
    else Promise.resolve(audio.play()).catch((error) => { status.textContent = error.message; });
  });
  return audio;
}
