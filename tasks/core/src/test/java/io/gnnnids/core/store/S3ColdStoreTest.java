package io.gnnnids.core.store;

import io.gnnnids.core.testing.S3ServerExtension;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

class S3ColdStoreTest extends ColdStoreContract {

    @RegisterExtension
    static final S3ServerExtension S3 = new S3ServerExtension();

    @Override
    ObjectStore store() {
        return S3.openStore("cold-" + UUID.randomUUID());
    }
}
