-- Posts of several media (protocol 1.2): each photo or video of a post is a row of
-- post_media, and every tag belongs to one medium, as a catalog product or a link-out
-- product, with a position (photos; optional on videos) and a time range (videos).
-- Existing posts become one photo with their tags.
CREATE TABLE post_media (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,            -- photo | video
    image_url TEXT NOT NULL,       -- the photo, or the video's poster
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    alt TEXT NOT NULL,
    video TEXT,                    -- JSON Video (url, captions) of a video
    PRIMARY KEY (post_id, position)
);

CREATE TABLE media_tags (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,      -- order within the whole post: the tag id is post-(position+1)
    medium BIGINT NOT NULL,        -- post_media.position
    x DOUBLE PRECISION,
    y DOUBLE PRECISION,
    start_seconds DOUBLE PRECISION,
    end_seconds DOUBLE PRECISION,
    product_id TEXT,               -- a catalog product, or
    link TEXT,                     -- JSON LinkOut
    PRIMARY KEY (post_id, position)
);

INSERT INTO post_media (post_id, position, kind, image_url, width, height, alt)
    SELECT id, 0, 'photo', image_url, width, height, alt FROM posts;
INSERT INTO media_tags (post_id, position, medium, x, y, product_id)
    SELECT post_id, position, 0, x, y, product_id FROM tags;
DROP TABLE tags;
ALTER TABLE posts DROP COLUMN image_url;
ALTER TABLE posts DROP COLUMN width;
ALTER TABLE posts DROP COLUMN height;
ALTER TABLE posts DROP COLUMN alt;
