"""The year-end appraisal meeting (评定会): calibration of the period's grades
under the quota, commendation (评先评优), and the close that writes the
official grades, the commendations, the 公示 list and the meeting record.

``board`` and ``commendation`` are pure (frames in, frames out); ``session``
reads and writes the store; ``exports`` writes the 公示 and the record;
``cli`` is the ``appraisal`` command. No Streamlit here.
"""
