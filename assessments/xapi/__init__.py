"""The statement store and the xAPI learning record store at ``/xapi/`` (app label ``xapi``).

One store for every statement, whoever sends it: the H5P player in the page (session and CSRF,
actor replaced), and other tools through the LRS endpoint with HTTP Basic credentials. One
validator (``validation``), pure and without Django.
"""
