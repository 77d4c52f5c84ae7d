"""Succession and recommendation (推荐): the board, the matrix, candidates compared, recommendations."""
