"""The demo vault: fictional, realistic casework for trying the app, screenshots and benchmarks.

``vault.demo.generator.fill_demo_vault`` writes it through the session's public services;
``vault.demo.documents`` makes the sample files (PDF letters, PNG images, text notes);
``vault.demo.people`` holds the obviously fictional names.
"""
