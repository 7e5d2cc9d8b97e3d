-- Insight events per medium of a post of several media (`media_index` of POST /v1/events),
-- counted per UTC day beside insight_days, which keeps counting every event of the post.
-- `media_index` is the medium's index in the post's media, from 0.
CREATE TABLE insight_media_days (
    day TEXT NOT NULL,             -- YYYY-MM-DD, UTC
    event TEXT NOT NULL,           -- tag_view, tag_open, add_to_bag, checkout_start
    post_id TEXT NOT NULL,
    media_index BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (day, event, post_id, media_index)
);
