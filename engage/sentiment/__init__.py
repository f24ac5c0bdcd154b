"""Sentiment of stored texts (social posts and survey answers): batch scoring and staff corrections.

Public functions for other packages: `scoring.rescore_in_batches`, `scoring.score_rows`;
`corrections.correct_post`, `corrections.correct_answer`, `corrections.correction_of_post`,
`corrections.corrections_of_answers`, `corrections.campaign_correction_counts`,
`corrections.consultation_correction_counts`. Its form, `SentimentForm`, is in `engage.web.forms`.
"""
