// Reading one writer's metadata through IVssExamineWriterMetadata (and Ex/Ex2
// where present): identity, components, files, exclusions, restore method.
#pragma once
#include <vsbackup.h>

#include "../core/types.h"

namespace vss {
namespace com {

WriterMetadata ReadWriterMetadata(IVssExamineWriterMetadata* examine);

}  // namespace com
}  // namespace vss
