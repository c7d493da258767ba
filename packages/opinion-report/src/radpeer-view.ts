/** The second reader's texts and the ACR RADPEER score with its peer-learning comment. */
import { html, type TemplateResult } from 'lit';
import { RADPEER_SCORES, type SecondOpinion } from '@secondread/core';
import type { ReportView } from './report-view.js';

/** Impression and recommendations of the second reading. */
export function renderTexts(view: ReportView): TemplateResult {
  const second = view.model.second;
  return html`<div class="texts">
    <label
      >${view.t.report.impression}
      <textarea
        part="text"
        rows="3"
        .value=${second.impression}
        @input=${(e: Event) => view.edit((model) => model.setImpression((e.target as HTMLTextAreaElement).value))}
      ></textarea>
    </label>
    <label
      >${view.t.report.recommendations}
      <textarea
        part="text"
        rows="2"
        .value=${second.recommendations}
        @input=${(e: Event) => view.edit((model) => model.setRecommendations((e.target as HTMLTextAreaElement).value))}
      ></textarea>
    </label>
  </div>`;
}

/** The RADPEER score group and the peer-learning comment. */
export function renderScore(view: ReportView, opinion: SecondOpinion): TemplateResult {
  const score = opinion.concordance.radpeer;
  return html`<fieldset part="radpeer">
      <legend>${view.t.report.radpeer}</legend>
      ${RADPEER_SCORES.map(
        (s) =>
          html`<label class=${`score score-${s[0]}`}>
            <input
              type="radio"
              name="radpeer"
              .value=${s}
              .checked=${s === score}
              @change=${() => view.edit((model) => model.setRadpeer(s))}
            />
            <strong>${s}</strong> <span>${view.t.radpeerDescription[s]}</span>
          </label>`,
      )}
    </fieldset>
    <label class="comment"
      >${view.t.report.peerLearning}
      <textarea
        part="text"
        rows="2"
        .value=${opinion.concordance.peerLearningComment ?? ''}
        @input=${(e: Event) =>
          view.edit((model) => model.setPeerLearningComment((e.target as HTMLTextAreaElement).value))}
      ></textarea>
    </label>`;
}
