"""Date formats per interface language (settings.FORMAT_MODULE_PATH). Chinese keeps Django's
own (2020年7月20日); English writes dates the way British official documents do."""
