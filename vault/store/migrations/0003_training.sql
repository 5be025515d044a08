-- 0003: the rep's training record (vault/training). One rep per vault, so no rep id.
-- Holds no member data: union choice, courses with dates, Reps 2 route ticks, course dates.
-- Dates are ISO (YYYY-MM-DD) text. The accreditation status is never stored: it is derived.

-- The union profile chosen (a key such as 'bectu'), at most one row.
CREATE TABLE training_union (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    union_key TEXT NOT NULL CHECK (length(union_key) BETWEEN 1 AND 40)
);

-- Courses completed. name is the course name when recorded (or the title the rep typed for an
-- 'other' course), so the record still reads after a change of union profile.
CREATE TABLE training_courses (
    id                   INTEGER PRIMARY KEY,
    course_id            TEXT NOT NULL CHECK (length(course_id) BETWEEN 1 AND 40),
    name                 TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    completed_on         TEXT NOT NULL
                         CHECK (completed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    education_updated_on TEXT
                         CHECK (education_updated_on IS NULL OR education_updated_on
                                GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    UNIQUE (course_id, name)
);

-- Steps of the Reps 2 route ticked, each with the date it happened.
CREATE TABLE training_steps (
    step_id TEXT PRIMARY KEY CHECK (length(step_id) BETWEEN 1 AND 40),
    done_on TEXT NOT NULL
            CHECK (done_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);

-- The Reps 2 course dates (one row per session), which drive the reminders.
CREATE TABLE training_course_dates (
    session_on TEXT PRIMARY KEY
               CHECK (session_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
