"""Story clustering: which articles report the same real-world event.

A story is one event (one earthquake, one summit), not a topic: ECB+ holds two events of the same
kind per topic, and a reader wants them apart. Meaning alone cannot do that (two earthquake
reports read alike), so an article's score against a story combines three signals:

    score = (cosine(title+lead embedding, story centroid) + w * entity_cosine) / (1 + w)
            - time_weight * log1p(days outside the story's date span / time_scale_days)

`entity_cosine` compares the article's salient names with the story's name profile (how many of
its articles mention each name), weighted by inverse document frequency over everything seen, so
a shared "Sudan" says more than a shared "U.S.". The time term makes articles weeks apart need
stronger evidence, and stories more than `window_days` away are never candidates.

Clustering is online so that a new batch joins the stories already stored without reclustering
them: each article is compared with candidate stories only (a matrix product over the centroids
of stories active in its time window, plus an inverted index from names to stories), joins the best
one above `threshold`, or founds a new one. A leader method depends on visiting order, so articles
are visited by date and, within a day or when undated, by a hash of their id: the result does not
depend on how files were listed, and a folder sorted by event does not let the first event's
profile swallow the second. Then `refine_passes` passes move each article of the batch to the story
that fits it best once all stories exist (articles of earlier batches never move).

A story keeps the id it was born with ("s-" + hash of its first article's id), so links from the
store stay valid as it grows; its title is the headline of its most central article (title+lead
vector closest to the centroid), re-chosen when the story grows. Cost per batch: the batch times
the stories in its time window (one matrix product per chunk), never all pairs of articles.

Parameters were tuned on the ECB+ dev topics (1-35) only; see bench/stories.py.
"""

from .assign import assign_stories
from .features import ArticleFeatures, StoryParams, article_features, batch_features
from .index import StoryIndex, StoryState

__all__ = ["ArticleFeatures", "StoryIndex", "StoryParams", "StoryState", "article_features", "assign_stories",
           "batch_features"]
